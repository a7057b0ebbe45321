using Google.Apis.Discovery;
using Google.Apis.Requests;
using Google.Apis.Services;
using Google.Apis.Util;

namespace Webinars.Publishing;

/// <summary>
/// The few YouTube Data API v3 methods publishing uses, in the shape of the generated Google.Apis.YouTube.v3 library
/// (which is not available here): <c>service.Videos.List(part)</c>, <c>.Update(body, part)</c>,
/// <c>service.PlaylistItems.Insert(body, part)</c> and <c>.List(part)</c>. Paths follow the discovery document.
/// </summary>
public sealed class YouTubeService(BaseClientService.Initializer initializer) : BaseClientService(initializer)
{
    public const string DefaultBaseUri = "https://youtube.googleapis.com/";

    public override string Name => "youtube";
    public override string BaseUri => BaseUriOverride ?? DefaultBaseUri;
    public override string BasePath => "";
    public override string BatchUri => BaseUri + "batch";
    public override string BatchPath => "batch";
    public override IList<string> Features => [];

    public VideosResource Videos => new(this);
    public PlaylistItemsResource PlaylistItems => new(this);

    public sealed class VideosResource(YouTubeService service)
    {
        public ListRequest List(string part) => new(service, part);
        public UpdateRequest Update(Video body, string part) => new(service, body, part);

        public sealed class ListRequest : YouTubeRequest<VideoListResponse>
        {
            public ListRequest(YouTubeService service, string part) : base(service, part) => InitParameters();

            [RequestParameter("id", RequestParameterType.Query)]
            public string? Id { get; set; }

            public override string MethodName => "list";
            public override string HttpMethod => "GET";
            public override string RestPath => "youtube/v3/videos";

            protected override void InitParameters()
            {
                base.InitParameters();
                AddQuery("id");
            }
        }

        public sealed class UpdateRequest : YouTubeRequest<Video>
        {
            private readonly Video _body;

            public UpdateRequest(YouTubeService service, Video body, string part) : base(service, part)
            {
                _body = body;
                InitParameters();
            }

            public override string MethodName => "update";
            public override string HttpMethod => "PUT";
            public override string RestPath => "youtube/v3/videos";

            protected override object GetBody() => _body;
        }
    }

    public sealed class PlaylistItemsResource(YouTubeService service)
    {
        public ListRequest List(string part) => new(service, part);
        public InsertRequest Insert(PlaylistItem body, string part) => new(service, body, part);

        public sealed class ListRequest : YouTubeRequest<PlaylistItemListResponse>
        {
            public ListRequest(YouTubeService service, string part) : base(service, part) => InitParameters();

            [RequestParameter("playlistId", RequestParameterType.Query)]
            public string? PlaylistId { get; set; }

            [RequestParameter("videoId", RequestParameterType.Query)]
            public string? VideoId { get; set; }

            public override string MethodName => "list";
            public override string HttpMethod => "GET";
            public override string RestPath => "youtube/v3/playlistItems";

            protected override void InitParameters()
            {
                base.InitParameters();
                AddQuery("playlistId");
                AddQuery("videoId");
            }
        }

        public sealed class InsertRequest : YouTubeRequest<PlaylistItem>
        {
            private readonly PlaylistItem _body;

            public InsertRequest(YouTubeService service, PlaylistItem body, string part) : base(service, part)
            {
                _body = body;
                InitParameters();
            }

            public override string MethodName => "insert";
            public override string HttpMethod => "POST";
            public override string RestPath => "youtube/v3/playlistItems";

            protected override object GetBody() => _body;
        }
    }
}

/// <summary>Every method here takes <c>part</c> (required, repeated, comma-separated).</summary>
public abstract class YouTubeRequest<T>(YouTubeService service, string part) : ClientServiceRequest<T>(service)
{
    [RequestParameter("part", RequestParameterType.Query)]
    public string Part { get; } = part;

    protected override void InitParameters()
    {
        base.InitParameters();
        RequestParameters.Add("part", new Parameter { Name = "part", IsRequired = true, ParameterType = "query" });
    }

    protected void AddQuery(string name) =>
        RequestParameters.Add(name, new Parameter { Name = name, IsRequired = false, ParameterType = "query" });
}
