using MathNet.Numerics.Distributions;

namespace IncidentOps.Figures.Statistics;

/// <summary>
/// The Mann–Whitney U test (Wilcoxon rank-sum) of whether values in one sample tend to be larger than in the other,
/// without assuming a distribution: resolution times are skewed, so a t-test on them would mislead.
/// Normal approximation with the tie correction of the variance and a continuity correction (as R's wilcox.test with
/// exact = FALSE); <see cref="PValue"/> is two-sided. Null when either sample is empty or every value is tied.
/// </summary>
public sealed record MannWhitney(int SizeA, int SizeB, double? U, double? Z, double? PValue)
{
    public static MannWhitney Test(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n1 = a.Length, n2 = b.Length;
        if (n1 == 0 || n2 == 0)
        {
            return new MannWhitney(n1, n2, null, null, null);
        }

        var n = n1 + n2;
        var all = new double[n];
        var fromA = new bool[n];
        a.CopyTo(all);
        b.CopyTo(all.AsSpan(n1));
        fromA.AsSpan(0, n1).Fill(true);
        Array.Sort(all, fromA);

        // Mid-ranks for ties; Σ(t³ − t) over tie groups for the variance correction.
        double rankSumA = 0, ties = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j < n && all[j] == all[i])
            {
                j++;
            }

            var midRank = (i + 1 + j) / 2.0;
            for (var k = i; k < j; k++)
            {
                if (fromA[k])
                {
                    rankSumA += midRank;
                }
            }

            double t = j - i;
            ties += (t * t * t) - t;
            i = j;
        }

        var u = rankSumA - (n1 * (n1 + 1.0) / 2);
        var mean = n1 * (double)n2 / 2;
        var variance = n1 * (double)n2 / 12 * ((n + 1) - (ties / (n * (double)(n - 1))));
        if (variance <= 0)
        {
            return new MannWhitney(n1, n2, u, null, null);
        }

        var diff = u - mean;
        var corrected = Math.Sign(diff) * Math.Max(0, Math.Abs(diff) - 0.5);
        var z = corrected / Math.Sqrt(variance);
        var p = Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return new MannWhitney(n1, n2, u, z, p);
    }
}
