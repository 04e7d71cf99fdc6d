using System.ComponentModel;
using System.Globalization;

namespace Matrix.Router.Configuration;

/// <summary>
/// Reads a size setting as bytes with an optional binary suffix (<c>104857600</c>, <c>512K</c>, <c>100M</c>, <c>1G</c>)
/// and writes it back in the shortest such form. Put on <c>long</c> properties of the router's options.
/// </summary>
public sealed class ByteSizeConverter : TypeConverter
{
    public const string Format = "a positive size in bytes such as 104857600, 512K, 100M or 1G";

    private static readonly (char Suffix, long Factor)[] Suffixes = [('G', 1L << 30), ('M', 1L << 20), ('K', 1L << 10)];

    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is not string text)
        {
            return base.ConvertFrom(context, culture, value);
        }
        text = text.Trim();
        var factor = 1L;
        foreach (var (suffix, size) in Suffixes)
        {
            if (text.Length > 1 && char.ToUpperInvariant(text[^1]) == suffix)
            {
                factor = size;
                text = text[..^1];
            }
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0 || number > long.MaxValue / factor)
        {
            throw new FormatException("expected " + Format);
        }
        return number * factor;
    }

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType)
    {
        if (destinationType == typeof(string) && value is long bytes)
        {
            foreach (var (suffix, size) in Suffixes)
            {
                if (bytes != 0 && bytes % size == 0)
                {
                    return (bytes / size).ToString(CultureInfo.InvariantCulture) + suffix;
                }
            }
            return bytes.ToString(CultureInfo.InvariantCulture);
        }
        return base.ConvertTo(context, culture, value, destinationType);
    }
}
