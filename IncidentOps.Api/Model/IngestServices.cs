using IncidentOps.Core.Ingest;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Model;

public sealed record IngestServices(
    IncidentIngestor Ingestor,
    IOptions<IngestOptions> Options,
    IngestTokens Tokens,
    ILogger<IngestServices> Logger);
