namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>What the incident says for one candidate cause, read by <see cref="CauseEvidenceReader"/>; the learned model weighs it.</summary>
public sealed class CategoryEvidence(string category)
{
    public string Category { get; } = category;

    /// <summary>Noisy-OR of the category's terms, each weighed by where it sits (0..1).</summary>
    public double Words { get; set; }

    /// <summary>The same over the first alert only: the first alert is nearer the cause than the ones that follow.</summary>
    public double FirstAlertWords { get; set; }

    /// <summary>Distinct strong terms (specific to this cause, such as "x509" or "deadlock").</summary>
    public int StrongTerms { get; set; }

    /// <summary>Figures read (certificate dates, disk or inode percentages), as a strength 0..1.</summary>
    public double Figures { get; set; }

    /// <summary>Cosine similarity of the incident to the nearest labelled case of this category (case base + confirmed cases).</summary>
    public double Similarity { get; set; }

    /// <summary>Cosine similarity of the incident to this category's prototype (the mean of its shipped cases' embeddings).</summary>
    public double Prototype { get; set; }

    /// <summary>A change of the service of a kind that causes this category (deploy, config): 1 within the hour before, 0.5 older.</summary>
    public double RecentChange { get; set; }

    /// <summary>A change of a kind that causes this category of a service the alerts name (<see cref="NamedServices"/>), with no
    /// incident of its own read beside this one: 1 within the hour before, 0.5 older.</summary>
    public double NamedChange { get; set; }

    /// <summary>Similarity of the nearest case responders confirmed with this cause, when that is the category's nearest case (else 0).</summary>
    public double ConfirmedSimilarity { get; set; }

    /// <summary>The same words read in another service's incident open in the same minutes, scaled by its link (<see cref="ConcurrentEvidence"/>).</summary>
    public double ConcurrentWords { get; set; }

    /// <summary>Figures read in another service's concurrent incident, scaled by its link.</summary>
    public double ConcurrentFigures { get; set; }

    /// <summary>A change of a concurrent incident's service of a kind that causes this category, scaled by its link.</summary>
    public double ConcurrentChange { get; set; }

    /// <summary>The service (and its incident) where this cause sits, when its evidence there outweighs this incident's own; else null.</summary>
    public string? Service { get; set; }

    public string? IncidentId { get; set; }

    public List<string> Evidence { get; } = [];

    /// <summary>The usual first fix of the nearest case of this category, when it is near enough to say.</summary>
    public string? Remediation { get; set; }

    /// <summary>The first fix the incident's own evidence (or a linked incident's) says (<see cref="RemediationEvidence"/>):
    /// it outranks any case's.</summary>
    public string? RemediationSaid { get; set; }
}

/// <summary>
/// Everything the local engine read of an incident, per candidate cause, and the feature vectors the learned model scores
/// (a conditional logit: one vector per candidate, one weight vector shared by all, so 172 scenarios fit ~40 weights
/// rather than 10 × 40). The feature layout is named in <see cref="FeatureNames"/> and stored beside the weights.
/// </summary>
public sealed record CauseEvidence(IReadOnlyList<CategoryEvidence> Causes, double SymptomWords, double AnyRecentChange)
{
    /// <summary>The highest CPU figure the alerts give, percent (null when none).</summary>
    public double? CpuPercent { get; init; }

    /// <summary>The alerts say the request rate is flat (<see cref="NumericEvidence.TrafficFlat"/>): 1, else 0.</summary>
    public double TrafficFlat { get; init; }

    /// <summary>The alerts give the request rate at twice its usual or more (<see cref="NumericEvidence.TrafficSurge"/>): 1, else 0.</summary>
    public double TrafficSurge { get; init; }

    /// <summary>The alerts compare the versions in figures (<see cref="NumericEvidence.VersionsCompared"/>): 1 they differ,
    /// -1 they are alike (a deploy is a bystander), 0 no such figures.</summary>
    public double VersionsCompared { get; init; }

    /// <summary>The sentence embedding of the incident's text (what the case base compared).</summary>
    public float[] Embedding { get; init; } = [];

    /// <summary>The words of the incident's text (<see cref="RemediationModel.Terms"/>): what the first-fix model reads.</summary>
    public IReadOnlySet<string> Terms { get; init; } = new HashSet<string>();

    /// <summary>The words of the first alert alone: nearer the cause than the alerts that follow.</summary>
    public IReadOnlySet<string> FirstTerms { get; init; } = new HashSet<string>();

    /// <summary>
    /// Cosine similarity of the incident to each candidate's corpus prototype (<see cref="Candidates"/> order, "unknown"
    /// last): the mean embedding of the labelled scenarios the model was trained on, so vocabulary-independent evidence of
    /// every kind, "unknown" included. Set by <see cref="WithCorpus"/> (the model does, with its own prototypes).
    /// </summary>
    public IReadOnlyList<double>? CorpusSimilarity { get; init; }

    /// <summary>
    /// The vote of the nearest labelled scenarios, per candidate ("unknown" last), as <see cref="CorpusNeighbours.Vote"/>
    /// gives it; set by <see cref="WithCorpus"/>, null without an embedding or corpus cases (the features count 0).
    /// </summary>
    public IReadOnlyList<double>? NeighbourVotes { get; init; }

    /// <summary>
    /// The text model's log-probability of each candidate ("unknown" last, <see cref="CauseTextModel"/>): what the
    /// incident's words and embedding say, learned over the corpus; set by <see cref="WithCorpus"/>, null without a text
    /// model (the features count 0).
    /// </summary>
    public IReadOnlyList<double>? TextVotes { get; init; }

    /// <summary>
    /// This evidence compared with the corpus prototypes given (category → unit vector; a missing one counts 0), with
    /// the nearest of the corpus cases (<paramref name="neighbours"/>) and read by the text model (<paramref name="text"/>).
    /// </summary>
    public CauseEvidence WithCorpus(IReadOnlyDictionary<string, float[]> prototypes, CorpusNeighbours neighbours, CauseTextModel? text) =>
        WithCorpus(prototypes, neighbours.Votes(Embedding), text?.LogProbabilities(this));

    /// <summary>The same, with the neighbours' vote and the text model's already counted (the training command computes its own).</summary>
    public CauseEvidence WithCorpus(IReadOnlyDictionary<string, float[]> prototypes, IReadOnlyList<double>? votes, IReadOnlyList<double>? text) =>
        this with
        {
            CorpusSimilarity = Embedding.Length == 0 || prototypes.Count == 0
                ? null
                : [.. Candidates.Select(c => prototypes.TryGetValue(c, out var p) ? Retrieval.SentenceEmbedder.Cosine(Embedding, p) : 0)],
            NeighbourVotes = votes,
            TextVotes = text,
        };

    /// <summary>The causes the engine names, in the order of the one-hot features; the last candidate is "unknown".</summary>
    public static IReadOnlyList<string> Categories { get; } = [.. IncidentCategories.Rules.Where(r => !r.Symptom).Select(r => r.Category)];

    public static IReadOnlyList<string> Candidates { get; } = [.. Categories, IncidentCategories.Unknown];

    /// <summary>Effects and the causes that explain them: failing calls to a dependency are what a partition, locks, a wrong
    /// endpoint, an expired certificate or a full disk look like from the caller; saturation is what a surge or lock waits look like from the host.</summary>
    private static readonly Dictionary<string, string[]> ExplainedBy = new(StringComparer.Ordinal)
    {
        ["dependency_outage"] = ["network_partition", "database_contention", "config_error", "certificate_expiry", "disk_full", "bad_deploy"],
        ["resource_exhaustion"] = ["traffic_spike", "database_contention", "dependency_outage", "memory_leak"],
    };

    /// <summary>Causes a change can be blamed for; the others, when their own evidence is strong, make a recent change a bystander.</summary>
    private static readonly string[] ChangeCauses = ["bad_deploy", "config_error"];

    /// <summary>Causes whose evidence is specific (a figure, a strong term): not effects that many causes share.</summary>
    private static readonly string[] SpecificCauses = ["certificate_expiry", "disk_full", "memory_leak", "database_contention", "network_partition"];

    /// <summary>
    /// The usual causes behind failing or slow requests, whatever the alert says: a symptom alone makes each of them worth a
    /// look (a second and third candidate where no word named them), each with its own learned weight.
    /// </summary>
    private static readonly string[] SymptomCauses = ["bad_deploy", "dependency_outage", "resource_exhaustion", "database_contention"];

    private static readonly string[] Shared =
        ["words", "first_alert_words", "strong_terms", "figures", "similarity", "similarity_gap", "nearest_case", "matching_change", "explained_by_cause", "words_gap", "strongest_evidence",
         "prototype", "prototype_gap", "change_against_specific_cause", "explained:resource_exhaustion", "cpu_low:resource_exhaustion", "cpu_high:resource_exhaustion",
         "corpus_prototype", "corpus_prototype_gap", "traffic_flat:traffic_spike", "traffic_surge:traffic_spike", "versions_compared:bad_deploy",
         "concurrent_words", "concurrent_figures", "concurrent_change", "named_change", "nearest_scenarios", "corpus_text", .. SymptomCauses.Select(c => $"symptom:{c}")];

    private static readonly string[] UnknownFeatures =
        ["unknown:bias", "unknown:max_words", "unknown:max_similarity", "unknown:symptom_words", "unknown:max_figures", "unknown:any_change", "unknown:corpus_prototype_gap", "unknown:max_concurrent", "unknown:nearest_scenarios", "unknown:corpus_text"];

    public static IReadOnlyList<string> FeatureNames { get; } =
        [.. Shared, .. Categories.Select(c => $"bias:{c}"), .. Categories.Select(c => $"words:{c}"), .. UnknownFeatures];

    /// <summary>One feature vector per candidate (<see cref="Candidates"/> order).</summary>
    public double[][] Vectors()
    {
        var n = FeatureNames.Count;
        var maxSimilarity = Causes.Max(c => c.Similarity);
        var maxWords = Causes.Max(c => c.Words);
        var nearest = Causes.MaxBy(c => c.Similarity)!.Category;
        var maxPrototype = Causes.Max(c => c.Prototype);
        // How strongly a specific cause (a figure, or strong terms) is told: a recent change beside it is likely a bystander.
        var specific = Causes.Where(o => SpecificCauses.Contains(o.Category)).Max(o => Math.Max(o.Figures, o.StrongTerms > 0 ? o.Words : 0));
        var corpus = CorpusSimilarity ?? new double[Candidates.Count];
        var votes = NeighbourVotes ?? new double[Candidates.Count];
        var text = TextVotes ?? new double[Candidates.Count];
        var maxCorpus = corpus.Take(Categories.Count).Max();
        var (cpuLow, cpuHigh) = CpuPercent is { } cpu ? (cpu <= 40 ? 1 : 0, cpu >= 85 ? 1 : 0) : (0, 0);
        var vectors = new double[Candidates.Count][];
        for (var i = 0; i < Categories.Count; i++)
        {
            var c = Causes[i];
            var v = vectors[i] = new double[n];
            var explained = ExplainedBy.TryGetValue(c.Category, out var causes)
                ? Causes.Where(o => causes.Contains(o.Category)).Max(o => Math.Max(o.Words, o.Figures))
                : 0;
            var others = Causes.Where(o => o.Category != c.Category).Max(o => o.Words);
            double[] shared =
            [
                c.Words, c.FirstAlertWords, Math.Log(1 + c.StrongTerms), c.Figures, c.Similarity, c.Similarity - maxSimilarity,
                c.Category == nearest ? 1 : 0, c.RecentChange, explained, c.Words - others, Math.Max(c.Words, c.Figures),
                c.Prototype, c.Prototype - maxPrototype, ChangeCauses.Contains(c.Category) ? c.RecentChange * specific : 0,
                c.Category == "resource_exhaustion" ? explained : 0, c.Category == "resource_exhaustion" ? cpuLow : 0, c.Category == "resource_exhaustion" ? cpuHigh : 0,
                corpus[i], corpus[i] - maxCorpus, c.Category == "traffic_spike" ? TrafficFlat : 0,
                c.Category == "traffic_spike" ? TrafficSurge : 0, c.Category == "bad_deploy" ? VersionsCompared : 0,
                c.ConcurrentWords, c.ConcurrentFigures, c.ConcurrentChange, c.NamedChange, votes[i], text[i],
                .. SymptomCauses.Select(s => s == c.Category ? SymptomWords : 0),
            ];
            shared.CopyTo(v, 0);
            v[Shared.Length + i] = 1;
            v[Shared.Length + Categories.Count + i] = c.Words;
        }

        var u = vectors[^1] = new double[n];
        double[] unknown = [1, maxWords, maxSimilarity, SymptomWords, Causes.Max(c => c.Figures), AnyRecentChange, corpus[^1] - maxCorpus, ConcurrentEvidence.Strongest(Causes), votes[^1], text[^1]];
        unknown.CopyTo(u, n - UnknownFeatures.Length);
        return vectors;
    }
}
