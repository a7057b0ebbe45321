using System.Collections.Frozen;
using System.Globalization;
using Webinars.Infrastructure;

namespace Webinars.Payments;

/// <summary>
/// Prices as Stripe takes them: an amount in the currency's minor unit (cents; yen have none) and an ISO 4217 code.
/// Only currencies whose minor unit and Stripe minimum charge are listed here are accepted: a price Stripe would refuse
/// at checkout is refused when staff save it instead.
/// </summary>
public static class Money
{
    /// <summary>Stripe's largest amount for a Checkout Session line (eight digits of minor units).</summary>
    public const long MaxAmount = 99_999_999;

    /// <summary>Decimals of the minor unit and Stripe's minimum charge, in minor units (Stripe's published table).</summary>
    private static readonly FrozenDictionary<string, (int Decimals, long Minimum)> Currencies = new Dictionary<string, (int, long)>
    {
        ["USD"] = (2, 50),
        ["EUR"] = (2, 50),
        ["GBP"] = (2, 30),
        ["AUD"] = (2, 50),
        ["CAD"] = (2, 50),
        ["CHF"] = (2, 50),
        ["NZD"] = (2, 50),
        ["SGD"] = (2, 50),
        ["HKD"] = (2, 400),
        ["DKK"] = (2, 250),
        ["NOK"] = (2, 300),
        ["SEK"] = (2, 300),
        ["PLN"] = (2, 200),
        ["CZK"] = (2, 1500),
        ["HUF"] = (2, 17500),
        ["RON"] = (2, 200),
        ["BGN"] = (2, 100),
        ["AED"] = (2, 200),
        ["BRL"] = (2, 50),
        ["INR"] = (2, 50),
        ["MXN"] = (2, 1000),
        ["MYR"] = (2, 200),
        ["THB"] = (2, 1000),
        // Zero-decimal currencies: the amount is whole units (¥2500 is 2500, not 250000).
        ["JPY"] = (0, 50),
    }.ToFrozenDictionary();

    private static readonly Lazy<FrozenSet<string>> IsoCodes = new(() => CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
        .OfType<string>().ToFrozenSet());

    public static bool IsSupported(string currency) => Currencies.ContainsKey(currency);

    public static int Decimals(string currency) => Currencies.TryGetValue(currency, out var c) ? c.Decimals : 2;

    /// <summary>Checks a price; adds errors under <c>price.amount</c> and <c>price.currency</c>. Returns the normalised currency.</summary>
    public static (long Amount, string Currency)? Validate(long? amount, string? currencyText, FieldErrors errors)
    {
        var currency = currencyText?.Trim().ToUpperInvariant();
        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            errors.Add("price.currency", "Price currency must be an ISO 4217 code such as USD or EUR.");
            currency = null;
        }
        else if (!Currencies.TryGetValue(currency, out _))
        {
            var reason = IsoCodes.Value.Contains(currency) ? $"{currency} is not a currency this site charges in" : $"{currency} is not an ISO 4217 currency code";
            errors.Add("price.currency", $"{reason}; use one of {string.Join(", ", Currencies.Keys.Order())}.");
            currency = null;
        }

        if (!InRange(amount, "price.amount", "Price amount", "; send \"price\": null for a free webinar", errors) || currency is null) return null;
        return AboveMinimum(amount!.Value, currency, "price.amount", errors) ? (amount.Value, currency) : null;
    }

    /// <summary>
    /// An amount in a currency already known good (a ticket type's, in its webinar's currency): in range and at least
    /// Stripe's minimum, else an error under <paramref name="field"/>.
    /// </summary>
    public static bool ValidateAmount(long? amount, string currency, string field, FieldErrors errors) =>
        InRange(amount, field, "Price", "", errors) && AboveMinimum(amount!.Value, currency, field, errors);

    private static bool InRange(long? amount, string field, string label, string hint, FieldErrors errors)
    {
        if (amount is not (null or < 1 or > MaxAmount)) return true;
        errors.Add(field, $"{label} is required, in minor units (cents; whole yen for JPY), between 1 and {MaxAmount}{hint}.");
        return false;
    }

    private static bool AboveMinimum(long amount, string currency, string field, FieldErrors errors)
    {
        var minimum = Currencies[currency].Minimum;
        if (amount >= minimum) return true;
        errors.Add(field, $"Stripe's minimum charge in {currency} is {Text(minimum, currency)} (amount {minimum} in minor units); {amount} is below it.");
        return false;
    }

    /// <summary>Culture-neutral text for the API and logs: "25.00 USD", "2500 JPY".</summary>
    public static string Text(long amount, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{ToMajor(amount, currency).ToString("F" + Decimals(currency), CultureInfo.InvariantCulture)} {currency}");

    /// <summary>The price as a reader of <paramref name="culture"/> writes it: "$25.00" (en-US), "US$25.00" (en-GB), "25,00 €" (de-DE).</summary>
    public static string Format(long amount, string currency, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencyDecimalDigits = Decimals(currency);
        format.CurrencySymbol = Symbol(currency, culture);
        return ToMajor(amount, currency).ToString("C", format);
    }

    /// <summary>The first language of Accept-Language that .NET knows, else en-US.</summary>
    public static CultureInfo ReaderCulture(HttpContext context)
    {
        foreach (var language in context.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            try
            {
                var culture = CultureInfo.GetCultureInfo(language.Value.ToString());
                if (!culture.IsNeutralCulture) return culture;
                return CultureInfo.CreateSpecificCulture(culture.Name);
            }
            catch (CultureNotFoundException)
            {
                // try the next one
            }
        }

        return CultureInfo.GetCultureInfo("en-US");
    }

    private static decimal ToMajor(long amount, string currency)
    {
        var divisor = 1m;
        for (var i = 0; i < Decimals(currency); i++) divisor *= 10;
        return amount / divisor;
    }

    // The reader's own currency keeps its local symbol; another currency whose symbol would be ambiguous ("$") gets the
    // country prefix ("US$", "CA$"); otherwise the symbol its home region uses ("€", "£", "¥").
    private static string Symbol(string currency, CultureInfo reader) =>
        Region(reader)?.ISOCurrencySymbol == currency ? reader.NumberFormat.CurrencySymbol : HomeSymbols.Value.GetValueOrDefault(currency, currency);

    private static readonly Lazy<FrozenDictionary<string, string>> HomeSymbols = new(() =>
    {
        var cultures = CultureInfo.GetCultures(CultureTypes.SpecificCultures).Select(c => (Culture: c, Region: Region(c))).ToList();
        return Currencies.Keys.ToFrozenDictionary(code => code, code =>
        {
            var home = cultures.Where(c => c.Region?.ISOCurrencySymbol == code).OrderBy(c => c.Culture.Name.StartsWith("en", StringComparison.Ordinal) ? 0 : 1)
                .Select(c => c.Culture).FirstOrDefault();
            var symbol = home?.NumberFormat.CurrencySymbol ?? code;
            return symbol == "$" ? code[..2] + "$" : symbol;
        });
    });

    private static RegionInfo? Region(CultureInfo culture)
    {
        try
        {
            return new RegionInfo(culture.Name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
