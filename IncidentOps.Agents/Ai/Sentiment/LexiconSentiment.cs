using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Ai.Sentiment;

/// <summary>
/// A lexicon scorer for responder notes and customer text: word valences, intensifiers, and negation
/// that flips (and dampens) the next few words, normalised like VADER's compound score to -1..1.
/// </summary>
public static partial class LexiconSentiment
{
    private const int NegationWindow = 3;

    private static readonly Dictionary<string, double> Valence = new(StringComparer.OrdinalIgnoreCase)
    {
        ["good"] = 1.9, ["great"] = 3.1, ["excellent"] = 3.2, ["fine"] = 0.8, ["ok"] = 0.9, ["okay"] = 0.9, ["stable"] = 1.5,
        ["resolved"] = 2.0, ["fixed"] = 2.0, ["recovered"] = 2.0, ["healthy"] = 2.0, ["working"] = 1.4, ["thanks"] = 1.9,
        ["thank"] = 1.9, ["happy"] = 2.7, ["fast"] = 1.2, ["improved"] = 1.8, ["restored"] = 2.0, ["normal"] = 1.0, ["calm"] = 1.3,
        ["bad"] = -2.5, ["terrible"] = -3.1, ["awful"] = -3.1, ["horrible"] = -3.1, ["broken"] = -2.4, ["down"] = -1.8,
        ["outage"] = -2.6, ["failing"] = -2.3, ["failed"] = -2.2, ["fail"] = -2.2, ["error"] = -1.8, ["errors"] = -1.8,
        ["slow"] = -1.6, ["angry"] = -2.7, ["frustrated"] = -2.5, ["furious"] = -3.2, ["unacceptable"] = -2.9, ["lost"] = -1.9,
        ["losing"] = -2.0, ["crash"] = -2.6, ["crashing"] = -2.6, ["worse"] = -2.3, ["worst"] = -3.1, ["problem"] = -1.7,
        ["issue"] = -1.2, ["complaint"] = -2.0, ["complaining"] = -2.0, ["refund"] = -1.5, ["unusable"] = -2.8, ["stuck"] = -1.9,
        ["timeout"] = -1.6, ["degraded"] = -1.8, ["panic"] = -2.6, ["worried"] = -1.9, ["concerned"] = -1.4, ["disaster"] = -3.1,
    };

    private static readonly Dictionary<string, double> Intensifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["very"] = 0.293, ["extremely"] = 0.293, ["really"] = 0.293, ["so"] = 0.293, ["totally"] = 0.293, ["completely"] = 0.293,
        ["absolutely"] = 0.293, ["slightly"] = -0.293, ["somewhat"] = -0.293, ["barely"] = -0.293,
    };

    private static readonly HashSet<string> Negators = new(StringComparer.OrdinalIgnoreCase)
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "hardly", "isn't", "aren't", "wasn't",
        "weren't", "don't", "doesn't", "didn't", "can't", "cannot", "won't", "couldn't", "shouldn't", "haven't", "hasn't", "ain't",
    };

    private static readonly HashSet<string> UrgencyWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "urgent", "urgently", "asap", "immediately", "now", "emergency", "critical", "outage", "down", "sev1", "p1", "escalate",
        "customers", "revenue", "losing", "blocked",
    };

    public static SentimentScore Score(string text)
    {
        var tokens = Words().Matches(text).Select(m => m.Value).ToList();
        var cues = new List<string>();
        double sum = 0;
        var negatedUntil = -1;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (Negators.Contains(token) || token.EndsWith("n't", StringComparison.OrdinalIgnoreCase))
            {
                negatedUntil = i + NegationWindow;
                continue;
            }

            if (!Valence.TryGetValue(token, out var valence))
            {
                continue;
            }

            if (i > 0 && Intensifiers.TryGetValue(tokens[i - 1], out var boost))
            {
                valence += Math.Sign(valence) * boost * Math.Abs(valence);
            }

            if (i <= negatedUntil)
            {
                // "not good" is less negative than "bad" is: flip and dampen (VADER's N_SCALAR).
                valence *= -0.74;
                cues.Add($"not {token}");
            }
            else
            {
                cues.Add(token);
            }

            sum += valence;
        }

        var exclamations = Math.Min(4, text.Count(c => c == '!'));
        sum += Math.Sign(sum) * exclamations * 0.292;
        var compound = Math.Round(sum / Math.Sqrt((sum * sum) + 15), 3);
        var urgencyHits = tokens.Count(UrgencyWords.Contains) + exclamations + (text.Any(char.IsLetter) && text.Where(char.IsLetter).All(char.IsUpper) ? 2 : 0);
        var urgency = Math.Round(Math.Min(1, (urgencyHits * 0.2) + Math.Max(0, -compound) * 0.4), 2);

        var positives = cues.Count(c => !c.StartsWith("not ", StringComparison.Ordinal) && Valence[c] > 0);
        var negatives = cues.Count(c => !c.StartsWith("not ", StringComparison.Ordinal) && Valence[c] < 0);
        var label = compound switch
        {
            _ when positives > 0 && negatives > 0 && Math.Abs(compound) < 0.5 => SentimentLabel.Mixed,
            >= 0.05 => SentimentLabel.Positive,
            <= -0.05 => SentimentLabel.Negative,
            _ => SentimentLabel.Neutral,
        };
        return new SentimentScore(label, compound, urgency, "local", cues);
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9']*")]
    private static partial Regex Words();
}
