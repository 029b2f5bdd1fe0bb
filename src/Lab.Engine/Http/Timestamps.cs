using System.Globalization;

namespace Lab.Engine.Http;

/// <summary>Times as the docker CLI sends them in filters and query parameters: unix seconds (with an optional
/// fraction), RFC 3339, or a duration ("10m", "1h30m") back from now.</summary>
public static class Timestamps
{
    public static DateTimeOffset Parse(string text)
    {
        try
        {
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
                return DateTimeOffset.UnixEpoch.AddTicks(checked((long)(seconds * TimeSpan.TicksPerSecond)));
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                return time;
            if (TryDuration(text, out var duration)) return DateTimeOffset.UtcNow - duration;
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            // a number of seconds or a duration beyond the calendar (year 9999): the client's mistake
            throw EngineErrors.InvalidParameter($"value out of range: \"{text}\"");
        }
        throw EngineErrors.InvalidParameter($"failed to parse value as time or duration: \"{text}\"");
    }

    /// <summary>Go's time.ParseDuration units (h, m, s, ms).</summary>
    static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(?:(\d+(?:\.\d+)?)(h|ms|m|s))+$");
        if (!match.Success) return false;
        for (var i = 0; i < match.Groups[1].Captures.Count; i++)
        {
            var value = double.Parse(match.Groups[1].Captures[i].Value, CultureInfo.InvariantCulture);
            duration += match.Groups[2].Captures[i].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                _ => TimeSpan.FromMilliseconds(value),
            };
        }
        return true;
    }
}
