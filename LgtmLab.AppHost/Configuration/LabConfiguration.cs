using System.Collections;
using System.ComponentModel;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace LgtmLab.AppHost.Configuration;

/// <summary>Reads the <c>Lab</c> section (appsettings.json, environment, command line) into a validated topology.</summary>
internal static partial class LabConfiguration
{
    [GeneratedRegex("at '([^']+)'")]
    private static partial Regex KeyInBinderMessage();

    /// <summary>Binds and validates; throws <see cref="LabConfigurationException"/> naming every bad key.</summary>
    public static LabTopology Load(IConfiguration configuration) => LabTopology.Resolve(Bind(configuration));

    /// <summary>Binds the <c>Lab</c> section, rejecting unknown keys and values of the wrong type; the clusters are
    /// validated later, once the app model says which ones the lab has (<see cref="LabTopology.Resolve"/>).</summary>
    public static LabOptions Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(LabOptions.SectionName);
        var errors = new List<ConfigurationError>();
        FindUnknownKeys(section, typeof(LabOptions), errors);
        if (errors.Count > 0) throw new LabConfigurationException(errors);

        var options = new LabOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            var key = KeyInBinderMessage().Match(e.Message) is { Success: true } m ? m.Groups[1].Value : LabOptions.SectionName;
            var value = configuration[key];
            var type = TargetType(key);
            throw new LabConfigurationException([new ConfigurationError(key, $"'{value}' is not a valid {Describe(type)}", Fix(type))]);
        }
        return options;
    }

    /// <summary>A misspelt key would otherwise be ignored silently; report it with the keys that exist.</summary>
    private static void FindUnknownKeys(IConfigurationSection section, Type type, List<ConfigurationError> errors)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var child in section.GetChildren())
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                errors.Add(new(child.Path, $"'{child.Key}' is not a setting of {section.Path}",
                    $"use one of: {string.Join(", ", properties.Select(p => p.Name))}"));
                continue;
            }
            CheckValue(child, property.PropertyType, errors);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<ConfigurationError> errors)
    {
        if (IsScalar(type))
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            if (section.Value is { } value && target != typeof(string) && !Converts(value, target))
                errors.Add(new(section.Path, $"'{value}' is not a valid {Describe(target)}", Fix(target)));
            return;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var element = type.GetGenericArguments()[0];
            foreach (var item in section.GetChildren())
            {
                if (!int.TryParse(item.Key, out _))
                    errors.Add(new(item.Path, $"'{item.Key}' is not a list index", $"number the entries of {section.Path} 0, 1, 2, ..."));
                else
                    CheckValue(item, element, errors);
            }
            return;
        }
        if (typeof(IDictionary).IsAssignableFrom(type))
        {
            foreach (var entry in section.GetChildren()) CheckValue(entry, type.GetGenericArguments()[1], errors);
            return;
        }
        FindUnknownKeys(section, type, errors);
    }

    private static bool Converts(string value, Type type)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan);
    }

    private static Type? TargetType(string key)
    {
        Type? type = typeof(LabOptions);
        foreach (var part in key.Split(':').Skip(1))
        {
            if (type is null) return null;
            if (type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(List<>) || d == typeof(Dictionary<,>)))
            {
                type = type.GetGenericArguments()[^1];
                continue;
            }
            type = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase))?.PropertyType;
        }
        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    private static string Describe(Type? type) => type switch
    {
        null => "value",
        { IsEnum: true } => $"{type.Name} ({string.Join(" or ", Enum.GetNames(type))})",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(int) => "whole number",
        _ when type == typeof(TimeSpan) => "duration",
        _ => type.Name,
    };

    private static string Fix(Type? type) => type switch
    {
        { IsEnum: true } => $"use one of: {string.Join(", ", Enum.GetNames(type))}",
        _ when type == typeof(bool) => "use true or false",
        _ when type == typeof(int) => "use a whole number, e.g. 8080",
        _ when type == typeof(TimeSpan) => "use a duration like 00:00:02",
        _ => "correct the value",
    };
}
