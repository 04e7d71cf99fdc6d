using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Matrix.ServiceDefaults.Configuration;

/// <summary>
/// Binds a configuration section onto an options object and reports every key it cannot take, each naming the key:
/// a key that names no property (a typo would otherwise be ignored), and a value the property's type converter
/// rejects. Unlike <see cref="ConfigurationBinder"/>, which stops at the first bad value with a message quoting it,
/// it collects every problem and never repeats a value (it may be a secret). Property-level
/// <see cref="TypeConverterAttribute"/>s are honoured, so a <c>long</c> can be read as <c>100M</c>.
/// </summary>
public static class CheckedBinder
{
    /// <param name="section">The options' section (<c>Router</c>, <c>Janitor</c>).</param>
    /// <param name="target">Holds the defaults; receives every value that converts.</param>
    /// <param name="problems">Receives one line per bad key: <c>{key}: {what is wrong}</c>.</param>
    /// <param name="readElsewhere">Relative keys the caller reads itself (lists, maps); neither bound nor reported.</param>
    /// <param name="unknownKeyHint">Appended to the problem for an unknown key (e.g. where the known ones are listed).</param>
    public static void Bind(IConfigurationSection section, object target, ICollection<string> problems,
        Func<string, bool>? readElsewhere = null, string unknownKeyHint = "")
    {
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            // Sections appear too, without a value: only leaves are settings.
            if (value is null || readElsewhere?.Invoke(key) == true)
            {
                continue;
            }
            var setting = ConfigurationPath.Combine(section.Path, key);
            if (Find(target, key) is not var (owner, property))
            {
                problems.Add($"{setting}: unknown setting{unknownKeyHint}");
                continue;
            }
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type != typeof(string) && string.IsNullOrWhiteSpace(value))
            {
                continue;
            }
            try
            {
                property.SetValue(owner, property.Converter.ConvertFromInvariantString(value));
            }
            catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
            {
                problems.Add($"{setting}: cannot be read: expected {Expected(property, type)}");
            }
        }
    }

    /// <summary>The value of the property at <paramref name="key"/> (relative, <c>:</c>-separated) as its converter writes it.</summary>
    public static string? Format(object options, string key) =>
        Find(options, key) is var (owner, property) ? property.Converter.ConvertToInvariantString(property.GetValue(owner)) : null;

    private static (object Owner, PropertyDescriptor Property)? Find(object target, string key)
    {
        var owner = target;
        var segments = key.Split(ConfigurationPath.KeyDelimiter);
        for (var i = 0; ; i++)
        {
            var property = TypeDescriptor.GetProperties(owner).Find(segments[i], ignoreCase: true);
            if (property is null)
            {
                return null;
            }
            if (i == segments.Length - 1)
            {
                return property.IsReadOnly || IsSection(property.PropertyType) ? null : (owner, property);
            }
            if (!IsSection(property.PropertyType) || property.GetValue(owner) is not { } child)
            {
                return null;
            }
            owner = child;
        }
    }

    // A nested options class (Router:Health, Janitor:S3) as opposed to a value a converter reads from one string.
    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static string Expected(PropertyDescriptor property, Type type) =>
        property.Attributes[typeof(DescriptionAttribute)] is DescriptionAttribute { Description.Length: > 0 } description ? description.Description
        : TypeDescriptor.GetAttributes(type)[typeof(DescriptionAttribute)] is DescriptionAttribute { Description.Length: > 0 } typeDescription ? typeDescription.Description
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type))
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) ? "a number such as 0.5"
        : "a value of type " + type.Name;
}
