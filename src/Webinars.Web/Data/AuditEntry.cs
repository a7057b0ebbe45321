using NodaTime;

namespace Webinars.Data;

/// <summary>One moderator or staff action, kept for the audit trail.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Instant At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Subject { get; set; }
    public string Details { get; set; } = "";
}
