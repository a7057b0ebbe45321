using System.Runtime.CompilerServices;

namespace Webinars.Tests.Infrastructure;

/// <summary>Settings for the whole test process, which hosts many apps at once.</summary>
internal static class TestProcess
{
    /// <summary>
    /// SQLite calls block their thread (Microsoft.Data.Sqlite has no truly asynchronous I/O, and a writer waiting for the
    /// lock sleeps on it). With the SQLite rush tests running beside the browser tests on two cores, the thread pool's
    /// slow growth (about one thread per half second beyond its minimum) can leave the browser's app without a thread
    /// for many seconds. A higher minimum lets the pool grow at once; the product's behaviour under test is unchanged.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
