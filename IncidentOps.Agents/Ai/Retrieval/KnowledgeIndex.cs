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
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly IReadOnlyList<KnowledgeDocument> _documents;

    public KnowledgeIndex(IReadOnlyList<KnowledgeDocument> documents)
    {
        _documents = documents;
        var config = new IndexWriterConfig(Version, _analyzer) { Similarity = new BM25Similarity(K1, 0.75f) };
        using (var writer = new IndexWriter(_directory, config))
        {
            for (var i = 0; i < documents.Count; i++)
            {
                writer.AddDocument(new Document
                {
                    new StoredField("n", i),
                    new TextField("body", $"{documents[i].Title}\n{documents[i].Text}", Field.Store.NO),
                });
            }

            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity(K1, 0.75f) };
    }

    public int Count => _documents.Count;

    public IReadOnlyList<RetrievalMatch> Search(string text, int max)
    {
        var terms = Terms(text).Where(t => _reader.DocFreq(new Term("body", t)) > 0).Take(MaxQueryTerms).ToList();
        if (terms.Count == 0)
        {
            return [];
        }

        var query = new BooleanQuery();
        foreach (var term in terms)
        {
            query.Add(new TermQuery(new Term("body", term)), Occur.SHOULD);
        }

        var best = terms.Sum(t => Idf(_reader.DocFreq(new Term("body", t))) * (K1 + 1));
        return [.. _searcher.Search(query, max).ScoreDocs.Select(hit =>
        {
            var doc = _documents[_searcher.Doc(hit.Doc).GetField("n").GetInt32Value()!.Value];
            return new RetrievalMatch(doc.Kind, doc.Title, doc.Source, Math.Round(Math.Min(1, hit.Score / best), 3), doc.Snippet);
        })];
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }

    // Lucene's own BM25 idf, so the normaliser matches the scorer.
    private double Idf(int docFreq) => Math.Log(1 + ((_reader.MaxDoc - docFreq + 0.5) / (docFreq + 0.5)));

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
}
