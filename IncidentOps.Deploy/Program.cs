using Amazon.CDK;
using IncidentOps.Deploy;
using IncidentOps.Deploy.Model;

// `cdk synth|deploy` runs this (cdk.json). `dotnet run -- images` lists the images to build, from the same manifest.
var app = new App();
var settings = DeploySettings.FromContext(app.Node);
var manifest = AspireManifest.Load(settings.AspireManifest);

if (args is ["images", ..])
{
    foreach (var service in ServiceCatalog.Resolve(manifest).Where(s => s.Project is not null && s.ImageOf is null))
    {
        Console.WriteLine($"{service.Name}\t{service.Project}\t{IncidentOps.Deploy.Stacks.RegistryStack.RepositoryName(service.Name)}");
    }

    return;
}

IncidentOpsStacks.Add(app, settings, manifest);
app.Synth();
