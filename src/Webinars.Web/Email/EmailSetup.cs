using Microsoft.Extensions.Options;
using Webinars.Data;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Email;

public static class EmailSetup
{
    /// <summary>The outbox, its dispatcher (SMTP, or .eml files when <c>Email:Smtp:Host</c> is unset), the attendee messages and reminders.</summary>
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations()
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.From, out _), "Email:From must be an address such as \"Webinars <webinars@example.org>\".")
            .Validate(o => o.Smtp.SendsCredentialsSafely, SmtpOptions.CredentialsNeedTls)
            .ValidateOnStart();
        services.AddOptions<RemindersOptions>().BindConfiguration(RemindersOptions.Section)
            .Validate(o => o.IsValid, "Reminders:Offsets must be durations such as \"1.00:00:00\" or whole minutes, each between 0 and 60 days; MaxLatenessMinutes >= 0; WriteAheadMinutes between 0 and 1440.")
            .ValidateOnStart();

        services.AddSingleton<OutboxSignal>();
        services.AddAfterCommit<OutboxSaveWatcher>();
        services.AddSingleton<PickupMailSender>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.UsesSmtp
            ? sp.GetRequiredService<SmtpMailSender>()
            : sp.GetRequiredService<PickupMailSender>());
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());

        services.AddScoped<RegistrationEmails>();
        services.AddScoped<IRegistrationNotifier>(sp => sp.GetRequiredService<RegistrationEmails>());
        services.AddScoped<IDeferredMail>(sp => sp.GetRequiredService<RegistrationEmails>());
        services.AddScoped<IWebinarObserver, ScheduleNotices>();
        services.AddScoped<ReminderRunner>();
        return builder;
    }
}
