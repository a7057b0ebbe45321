using System.Text;
using NodaTime.Text;

namespace Webinars.Registrations;

/// <summary>
/// The registrant export: RFC 4180 quoting, UTF-8 with a BOM (so spreadsheets read accents right), and every cell that
/// a spreadsheet would take for a formula (= + - @, tab, CR) prefixed with an apostrophe (OWASP "CSV injection").
/// </summary>
public static class RegistrantsCsv
{
    /// <param name="paid">Adds ticket type, amount paid, refunded (in the currency's units) and payment state.</param>
    public static byte[] Write(IReadOnlyList<RegistrantView> registrants, IReadOnlyList<QuestionView> questions, bool paid = false)
    {
        var csv = new StringBuilder();
        string[] money = paid ? ["Ticket type", "Currency", "Paid", "Refunded", "Payment"] : [];
        Row(csv, ["Name", "Email", "Organization", "Time zone", "Status", "Registered at", "Attended minutes", .. money, .. questions.Select(q => q.Label)]);
        foreach (var r in registrants)
        {
            var answers = questions.Select(q => r.Answers.FirstOrDefault(a => a.QuestionId == q.Id)?.Value ?? "");
            string[] payment = !paid ? [] : r.Payment is { } p
                ? [p.TicketType, p.Currency, Amount(p.Paid, p.Currency), Amount(p.Refunded, p.Currency), p.State]
                : ["", "", "", "", ""];
            Row(csv, [r.Name, r.Email, r.Organization, r.TimeZone, r.Status.ToString(), InstantPattern.General.Format(r.CreatedAt),
                r.AttendedMinutes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", .. payment, .. answers]);
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static string Amount(long minor, string currency) => Payments.Money.Text(minor, currency).Split(' ')[0];

    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value != value.Trim() ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void Row(StringBuilder csv, IEnumerable<string> cells) => csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
}
