using System.Text.Json;

namespace IncidentOps.Deploy.Model;

/// <summary>One resource of the Aspire manifest: its type (<c>project.v0</c>, <c>container.v0</c>, ...), environment and path.</summary>
public sealed record ManifestResource(string Name, string Type, IReadOnlyDictionary<string, string> Environment, string? Path)
{
    /// <summary>Resources that run (and so need a place in AWS), as opposed to parameters and values they reference.</summary>
    public bool Runs => Type.Split('.')[0] is "project" or "container" or "executable" or "dockerfile";
}

/// <summary>
/// The Aspire manifest the AppHost writes with <c>--publisher manifest</c>: the one description of the system that
/// both a local run and this deployment follow.
/// </summary>
public sealed record AspireManifest(IReadOnlyList<ManifestResource> Resources)
{
    public ManifestResource this[string name] =>
        Resources.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"The Aspire manifest has no resource '{name}'.");

    public static AspireManifest Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"No Aspire manifest at {Path.GetFullPath(path)}. Write it with `dotnet run --project IncidentOps.AppHost --no-launch-profile -- " +
                "--publisher manifest --output-path artifacts/aspire-manifest.json` (scripts/deploy.sh synth does), or pass -c aspireManifest=PATH.", path);
        }

        return Parse(File.ReadAllText(path));
    }

    public static AspireManifest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var resources = new List<ManifestResource>();
        foreach (var resource in document.RootElement.GetProperty("resources").EnumerateObject())
        {
            var body = resource.Value;
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            if (body.TryGetProperty("env", out var environment))
            {
                foreach (var variable in environment.EnumerateObject())
                {
                    env[variable.Name] = variable.Value.GetString() ?? string.Empty;
                }
            }

            resources.Add(new ManifestResource(
                resource.Name,
                body.GetProperty("type").GetString() ?? string.Empty,
                env,
                body.TryGetProperty("path", out var path) ? path.GetString() : null));
        }

        return new AspireManifest(resources);
    }
}
