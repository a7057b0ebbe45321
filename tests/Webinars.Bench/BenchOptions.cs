namespace Webinars.Bench;

public sealed record BenchOptions(string Postgres, int Requests, int Capacity, int[] Concurrency, string AppDll, int WarmUp)
{
    public static BenchOptions? Parse(string[] args)
    {
        string? postgres = Environment.GetEnvironmentVariable("WEBINARS_TEST_POSTGRES");
        int requests = 4000, capacity = 1000, warmUp = 10000;
        int[] concurrency = [50, 200];
        var appDll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Webinars.Web/bin/Release/net10.0/Webinars.Web.dll"));
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--requests": requests = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--capacity": capacity = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = args[i + 1].Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray(); break;
                case "--warmup": warmUp = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--app": appDll = Path.GetFullPath(args[i + 1]); break;
                default: return null;
            }
        }

        return string.IsNullOrEmpty(postgres) ? null : new BenchOptions(postgres, requests, capacity, concurrency, appDll, warmUp);
    }
}
