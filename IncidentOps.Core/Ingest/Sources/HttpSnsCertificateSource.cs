using System.Security.Cryptography.X509Certificates;

namespace IncidentOps.Core.Ingest.Sources;

/// <summary>Downloads an SNS signing certificate (PEM) and accepts it only if its chain validates to a trusted root
/// and it was issued to an amazonaws.com SNS name.</summary>
public sealed class HttpSnsCertificateSource(HttpClient http) : ISnsCertificateSource
{
    public async Task<X509Certificate2> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        var pem = await http.GetStringAsync(url, cancellationToken);
        var certificate = X509Certificate2.CreateFromPem(pem);
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var name = certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false);
        if (!chain.Build(certificate) || !name.StartsWith("sns", StringComparison.Ordinal) || !name.Contains("amazonaws.com", StringComparison.Ordinal))
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The certificate at {url} is not a trusted SNS signing certificate.");
        }

        return certificate;
    }
}
