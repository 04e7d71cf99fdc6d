using System.ComponentModel;
using System.Globalization;

namespace Matrix.ServiceDefaults.Configuration;

/// <summary>
/// A duration setting, written the same way for every program of the stack: a number with a unit as
/// s3_media_upload taught operators (<c>7d</c>, <c>36h</c>, <c>15m</c>, <c>30s</c>), a .NET time span
/// (<c>00:00:30</c>, <c>7.00:00:00</c>), or plain seconds (<c>5</c>, <c>0.5</c>). A bare number is seconds, never
/// days as <see cref="TimeSpan.Parse(string)"/> would read it.
/// </summary>
[TypeConverter(typeof(DurationConverter))]
[Description(Format)]
public readonly record struct Duration(TimeSpan Value)
{
    /// <summary>How a valid value looks, for error messages and help texts.</summary>
    public const string Format = "a duration such as 30s, 15m, 36h, 7d, 00:00:30 or 0.5 (seconds)";

    public static Duration FromDays(double days) => new(TimeSpan.FromDays(days));

    public static Duration FromMinutes(double minutes) => new(TimeSpan.FromMinutes(minutes));

    public static Duration FromSeconds(double seconds) => new(TimeSpan.FromSeconds(seconds));

    public static implicit operator TimeSpan(Duration duration) => duration.Value;

    public static bool TryParse(string? text, out Duration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (text.Contains(':'))
        {
            var parsed = TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span);
            duration = new Duration(span);
            return parsed;
        }
        var unit = char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount))
        {
            return false;
        }
        var seconds = unit switch
        {
            'd' => amount * 86_400,
            'h' => amount * 3_600,
            'm' => amount * 60,
            's' => amount,
            _ => double.NaN,
        };
        if (double.IsNaN(seconds) || Math.Abs(seconds) >= TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }
        duration = new Duration(TimeSpan.FromSeconds(seconds));
        return true;
    }

    /// <summary>The shortest form that reads back to the same value: <c>7d</c>, <c>36h</c>, <c>15m</c>, <c>30s</c>, else a time span.</summary>
    public override string ToString()
    {
        var v = Value;
        if (v == TimeSpan.Zero) return "0s";
        if (v.Ticks % TimeSpan.TicksPerDay == 0) return $"{v.TotalDays:0}d";
        if (v.Ticks % TimeSpan.TicksPerHour == 0) return $"{v.TotalHours:0}h";
        if (v.Ticks % TimeSpan.TicksPerMinute == 0) return $"{v.TotalMinutes:0}m";
        if (v.Ticks % TimeSpan.TicksPerSecond == 0) return $"{v.TotalSeconds:0}s";
        return v.ToString("c", CultureInfo.InvariantCulture);
    }
}

/// <summary>Lets configuration binding read and write <see cref="Duration"/> values.</summary>
public sealed class DurationConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    // The message says what a valid value looks like, never the value (a mistyped secret could be in it).
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is not string text ? base.ConvertFrom(context, culture, value)
        : Duration.TryParse(text, out var duration) ? duration
        : throw new FormatException("expected " + Duration.Format);
}
