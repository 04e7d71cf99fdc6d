using System.ComponentModel;
using System.Globalization;

namespace Matrix.MediaJanitor.Configuration;

/// <summary>
/// A configuration duration that operators can write the way s3_media_upload taught them ("7d", "36h",
/// "15m", "30s") or as a .NET TimeSpan ("7.00:00:00").
/// </summary>
[TypeConverter(typeof(DurationConverter))]
public readonly record struct Duration(TimeSpan Value)
{
    public static Duration FromDays(double days) => new(TimeSpan.FromDays(days));

    public static Duration FromMinutes(double minutes) => new(TimeSpan.FromMinutes(minutes));

    public static Duration FromSeconds(double seconds) => new(TimeSpan.FromSeconds(seconds));

    public static bool TryParse(string? text, out Duration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        var unit = text[^1];
        var number = text[..^1];
        if (char.IsLetter(unit) && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            TimeSpan? value = unit switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                's' => TimeSpan.FromSeconds(amount),
                _ => null,
            };
            if (value is { } parsed)
            {
                duration = new Duration(parsed);
                return true;
            }
            return false;
        }
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            duration = new Duration(span);
            return true;
        }
        return false;
    }

    public override string ToString()
    {
        var v = Value;
        if (v.Ticks % TimeSpan.TicksPerDay == 0) return $"{v.TotalDays:0}d";
        if (v.Ticks % TimeSpan.TicksPerHour == 0) return $"{v.TotalHours:0}h";
        if (v.Ticks % TimeSpan.TicksPerMinute == 0) return $"{v.TotalMinutes:0}m";
        return v.ToString("c", CultureInfo.InvariantCulture);
    }
}

/// <summary>Lets the configuration binder read <see cref="Duration"/> values.</summary>
public sealed class DurationConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is string text)
        {
            if (Duration.TryParse(text, out var duration))
            {
                return duration;
            }
            // The binder reports the configuration key; the message says what a valid value looks like.
            throw new FormatException("expected a duration such as 7d, 36h, 15m, 30s or 7.00:00:00");
        }
        return base.ConvertFrom(context, culture, value);
    }
}
