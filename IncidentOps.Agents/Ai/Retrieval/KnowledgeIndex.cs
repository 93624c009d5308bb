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

    public KnowledgeIndex(IEnumerable<KnowledgeDocument> documents)
    {
        _writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { Similarity = new BM25Similarity(K1, 0.75f) });
        foreach (var document in documents)
        {
            _writer.UpdateDocument(new Term("source", document.Source), ToLucene(document));
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
    public void Upsert(KnowledgeDocument document) => _writer.UpdateDocument(new Term("source", document.Source), ToLucene(document));

    /// <summary>Makes what was upserted searchable (a near-real-time reader over the open writer: no commit, no rebuild).</summary>
    public void Refresh() => _searchers.MaybeRefreshBlocking();

    public IReadOnlyList<RetrievalMatch> Search(string text, int max)
    {
        var searcher = _searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            var terms = Terms(text).Where(t => reader.DocFreq(new Term("body", t)) > 0).Take(MaxQueryTerms).ToList();
            if (terms.Count == 0)
            {
                return [];
            }

            var query = new BooleanQuery();
            foreach (var term in terms)
            {
                query.Add(new TermQuery(new Term("body", term)), Occur.SHOULD);
            }

            var best = terms.Sum(t => Idf(reader.MaxDoc, reader.DocFreq(new Term("body", t))) * (K1 + 1));
            return [.. searcher.Search(query, max).ScoreDocs.Select(hit =>
            {
                var doc = searcher.Doc(hit.Doc);
                return new RetrievalMatch(Enum.Parse<RetrievalKind>(doc.Get("kind", CultureInfo.InvariantCulture)), doc.Get("title", CultureInfo.InvariantCulture), doc.Get("source", CultureInfo.InvariantCulture),
                    Math.Round(Math.Min(1, hit.Score / best), 3), doc.Get("snippet", CultureInfo.InvariantCulture));
            })];
        }
        finally
        {
            _searchers.Release(searcher);
        }
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

    private sealed class BM25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity(K1, 0.75f) };
    }
}
