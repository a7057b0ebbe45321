namespace Webinars.Webinars;

/// <summary>Told after a saved edit gave a webinar more seats (or no limit), so waiting people can move up.</summary>
public interface ISeatsAddedHandler
{
    Task SeatsAddedAsync(Webinar webinar, CancellationToken ct);
}
