using Microsoft.Extensions.Options;

namespace Webinars.Payments;

/// <summary>
/// Runs <see cref="PaymentService.SweepAsync"/> every <c>Stripe:SweepIntervalSeconds</c> on every instance; each change it
/// makes is a conditional state move recorded under a unique news id, so instances running it at once do nothing twice.
/// </summary>
public sealed class PaymentSweeper(IServiceScopeFactory scopes, IOptions<StripeOptions> options, ILogger<PaymentSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.BackgroundSweep || o.MissingSetting is not null) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.SweepIntervalSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<PaymentService>().SweepAsync(stoppingToken);
                if (result.HoldsReleased + result.Refunded + result.Repaired > 0) logger.LogInformation("Payment sweep: {Result}", result);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Payment sweep failed; trying again next round");
            }
        }
    }
}
