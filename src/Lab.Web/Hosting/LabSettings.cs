using Microsoft.Extensions.Options;

namespace Lab.Web.Hosting;

/// <summary>LabOptions for the commands that do not start the server (they only need to find it).</summary>
public static class LabSettings
{
    public static LabOptions Bind(IReadOnlyDictionary<string, string?> settings)
    {
        var options = new LabOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(LabOptions.Section).Bind(options);
        var result = new LabOptionsValidator().Validate(null, options);
        return result.Failed ? throw new LabSettingsException(result.FailureMessage) : options;
    }
}

public sealed class LabSettingsException(string message) : Exception(message);
