using System.Globalization;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace IncidentOps.Agents.Ai.Retrieval;

/// <summary>A document the local search can return: a runbook or a resolved incident.</summary>
public sealed record KnowledgeDocument(RetrievalKind Kind, string Title, string Source, string Text, string Snippet);

/// <summary>
/// Ranked search with Lucene.Net (BM25, English stemming and stop words) over runbooks and resolved incidents.
/// The writer stays open: documents are added or replaced by their source (<see cref="Upsert"/>) and become
/// searchable at the next <see cref="Refresh"/>, so a new resolved incident is indexed on its own, never by a rebuild.
/// Raw BM25 scores are not comparable across queries, so each score is divided by the best score any
/// document could reach for that query (every known query term, saturated: Σ idf·(k1+1)); that 0..1 figure
/// is what the "no good match" threshold reads. Query words the index has never seen do not count
/// against a document, since no document could match them.
/// </summary>
public sealed class KnowledgeIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const float K1 = 1.2f;
    private const int MaxQueryTerms = 200;
    private readonly Analyzer _analyzer = new EnglishAnalyzer(Version);
    private readonly RAMDirectory _directory = new();
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;

    // Resolved incidents held, oldest first, so that past the cap the oldest goes (runbooks are not counted).
    private readonly LinkedList<string> _incidents = new();
    private readonly Dictionary<string, LinkedListNode<string>> _incidentNodes = new(StringComparer.Ordinal);
    private readonly int _maxIncidents;

    /// <param name="documents">Runbooks and resolved incidents, incidents oldest first.</param>
    /// <param name="maxIncidents">
    /// At most this many resolved incidents are held: an upsert past it drops the oldest, so a worker that runs for months
    /// does not hold every incident ever resolved (retention deletes old ones from Redis; this bounds the index the same way).
    /// </param>
    public KnowledgeIndex(IEnumerable<KnowledgeDocument> documents, int maxIncidents = int.MaxValue)
    {
        _maxIncidents = maxIncidents;
        _writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { Similarity = new BM25Similarity(K1, 0.75f) });
        foreach (var document in documents)
        {
            Upsert(document);
        }

        _writer.Commit();
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new BM25SearcherFactory());
    }

    public int Count
    {
        get
        {
            var searcher = _searchers.Acquire();
            try
            {
                return searcher.IndexReader.NumDocs;
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }
    }

    /// <summary>Adds the document, or replaces the one with the same source; searchable after <see cref="Refresh"/>.</summary>
    public void Upsert(KnowledgeDocument document)
    {
        _writer.UpdateDocument(new Term("source", document.Source), ToLucene(document));
        if (document.Kind != RetrievalKind.ResolvedIncident)
        {
            return;
        }

        if (_incidentNodes.Remove(document.Source, out var held))
        {
            _incidents.Remove(held);
        }

        _incidentNodes[document.Source] = _incidents.AddLast(document.Source);
        while (_incidents.Count > _maxIncidents && _incidents.First is { } oldest)
        {
            _writer.DeleteDocuments(new Term("source", oldest.Value));
            _incidentNodes.Remove(oldest.Value);
            _incidents.RemoveFirst();
        }
    }

    /// <summary>Makes what was upserted searchable (a near-real-time reader over the open writer: no commit, no rebuild).</summary>
    public void Refresh() => _searchers.MaybeRefreshBlocking();

    /// <summary>
    /// The best <paramref name="max"/> documents for the text, each scored 0..1 (see the class). With
    /// <paramref name="minScore"/> only documents that reach it are returned, which lets the search skip work: see <see cref="QueryOf"/>.
    /// </summary>
    public IReadOnlyList<RetrievalMatch> Search(string text, int max, double minScore = 0)
    {
        var searcher = _searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            // One lookup per term (its TermContext, reused by the query): each lookup walks every segment's terms dictionary.
            var terms = new List<QueryTerm>();
            foreach (var word in Terms(text))
            {
                if (terms.Count == MaxQueryTerms)
                {
                    break;
                }

                var term = new Term("body", word);
                var context = TermContext.Build(reader.Context, term);
                if (context.DocFreq > 0)
                {
                    terms.Add(new QueryTerm(term, context, Idf(reader.MaxDoc, context.DocFreq) * (K1 + 1)));
                }
            }

            var best = terms.Sum(t => t.MaxScore);
            if (QueryOf(terms, minScore * best) is not { } query)
            {
                return [];
            }

            // An in-order collector: for a query of SHOULD clauses Lucene otherwise picks BooleanScorer, whose bucket table
            // (2,048 objects) is allocated for every segment of every search, most of the garbage a search made.
            var collector = TopScoreDocCollector.Create(max, docsScoredInOrder: true);
            searcher.Search(query, collector);
            return [.. collector.GetTopDocs().ScoreDocs
                .Select(hit => (Hit: hit, Score: Math.Round(Math.Min(1, hit.Score / best), 3)))
                .Where(h => h.Score >= minScore)
                .Select(h =>
                {
                    var doc = searcher.Doc(h.Hit.Doc);
                    return new RetrievalMatch(Enum.Parse<RetrievalKind>(doc.Get("kind", CultureInfo.InvariantCulture)), doc.Get("title", CultureInfo.InvariantCulture),
                        doc.Get("source", CultureInfo.InvariantCulture), h.Score, doc.Get("snippet", CultureInfo.InvariantCulture));
                })];
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>
    /// The query for the terms, or null when no document could reach <paramref name="floor"/> (a raw score). A term adds at
    /// most <see cref="QueryTerm.MaxScore"/> to a document's BM25 score, so the most common terms whose bounds sum below the
    /// floor cannot lift a document over it on their own: a document must match one of the other ("rare") terms, and the
    /// common ones are scored only on those documents (as Lucene's CommonTermsQuery does, with the cut-off derived from the
    /// floor instead of guessed). Scores of the documents returned are unchanged; a term in every incident ("svc", "error")
    /// no longer makes the search visit every document.
    /// </summary>
    internal static Query? QueryOf(IReadOnlyList<QueryTerm> terms, double floor)
    {
        var common = new List<QueryTerm>();
        var commonBound = 0.0;
        foreach (var term in terms.OrderByDescending(t => t.Context.DocFreq))
        {
            // 1 % below the floor: the bound is exact in theory, the scores are floats.
            if (commonBound + term.MaxScore < floor * 0.99)
            {
                common.Add(term);
                commonBound += term.MaxScore;
            }
        }

        var rare = new BooleanQuery();
        foreach (var term in terms.Except(common))
        {
            rare.Add(new TermQuery(term.Term, term.Context), Occur.SHOULD);
        }

        if (rare.Clauses.Count == 0)
        {
            return null;
        }

        if (common.Count == 0)
        {
            return rare;
        }

        var query = new BooleanQuery { { rare, Occur.MUST } };
        foreach (var term in common)
        {
            query.Add(new TermQuery(term.Term, term.Context), Occur.SHOULD);
        }

        return query;
    }

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }

    private static Document ToLucene(KnowledgeDocument document) =>
    [
        new StringField("source", document.Source, Field.Store.YES),
        new StoredField("kind", document.Kind.ToString()),
        new StoredField("title", document.Title),
        new StoredField("snippet", document.Snippet),
        new TextField("body", $"{document.Title}\n{document.Text}", Field.Store.NO),
    ];

    // Lucene's own BM25 idf, so the normaliser matches the scorer.
    private static double Idf(int maxDoc, int docFreq) => Math.Log(1 + ((maxDoc - docFreq + 0.5) / (docFreq + 0.5)));

    private HashSet<string> Terms(string text)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        using var stream = _analyzer.GetTokenStream("body", new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }

    /// <summary>A query term, its statistics in the index, and the most it can add to a document's score (idf·(k1+1)).</summary>
    internal sealed record QueryTerm(Term Term, TermContext Context, double MaxScore);

    private sealed class BM25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity(K1, 0.75f) };
    }
}
