using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Webinars.Infrastructure;

/// <summary>How often and how soon a call to the outside is tried again; <c>Attempts</c> 0 tries once.</summary>
/// <param name="Attempts">Retries after the first try.</param>
/// <param name="FirstDelay">The first wait; each next one doubles, with jitter.</param>
/// <param name="OnRetry">Called before each retry (to log it), with the failure and the wait.</param>
public sealed record RetrySettings(int Attempts, TimeSpan FirstDelay, Action<Exception?, int, TimeSpan>? OnRetry = null);

/// <summary>When the circuit opens: 80% of at least <c>MinimumThroughput</c> calls failing within <c>Sampling</c>.</summary>
/// <param name="Pause">How long an open circuit refuses calls before letting one through to test the service.</param>
public sealed record BreakerSettings(int MinimumThroughput, TimeSpan Sampling, TimeSpan Pause);

/// <summary>
/// The one Polly pipeline every adapter to the outside (Stripe, SMTP, YouTube) calls through: a retry with exponential
/// backoff and jitter around a circuit breaker around a per-attempt timeout. Only what <c>isTransient</c> accepts is
/// retried or counted against the circuit; the circuit's own refusal never counts against it.
/// </summary>
public static class Resilience
{
    public const double FailureRatio = 0.8;

    public static ResiliencePipeline Pipeline(Func<Exception, bool> isTransient, RetrySettings retry, BreakerSettings breaker, TimeSpan timeout)
    {
        var builder = new ResiliencePipelineBuilder();
        if (retry.Attempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle(isTransient),
                MaxRetryAttempts = retry.Attempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.FirstDelay,
                OnRetry = args =>
                {
                    retry.OnRetry?.Invoke(args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not BrokenCircuitException && isTransient(e)),
                FailureRatio = FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.Sampling,
                BreakDuration = breaker.Pause,
            })
            .AddTimeout(timeout)
            .Build();
    }
}
