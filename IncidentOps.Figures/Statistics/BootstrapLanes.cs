using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IncidentOps.Figures.Statistics;

/// <summary>
/// Four bootstrap resamples at once with AVX2: four xoshiro256** streams side by side in 256-bit registers (one lane
/// per resample), indexes by the same multiply-shift, values fetched with gathers. Each lane does exactly what
/// <see cref="BootstrapInterval.ResampleMean"/> does for its resample, same draws, same additions in the same order,
/// so the means are bit-identical with or without AVX2. At n = 100,000 the cost is n × 10,000 random reads; eight
/// per gather instruction cut it to about a third of the scalar loop's.
/// </summary>
internal static class BootstrapLanes
{
    public static bool IsSupported => Avx2.IsSupported;

    public static unsafe void FourResampleMeans(float[] data, ulong seed, int first, double[] means)
    {
        var (s0, s1, s2, s3) = Load(seed, first);
        var n = (uint)data.Length;
        var count = Vector256.Create((ulong)n).AsUInt32();
        // Sums per resample, interleaved as the gather delivers them: pairs holds (lower, upper) of resamples 0 and 1,
        // pairs23 of resamples 2 and 3; tail is the odd n's last draw, which the scalar path adds to upper last.
        var pairs01 = Vector256<double>.Zero;
        var pairs23 = Vector256<double>.Zero;
        var tail = Vector256<double>.Zero;
        fixed (float* values = data)
        {
            var i = 0u;
            for (; i + 1 < n; i += 2)
            {
                var r = Next(ref s0, ref s1, ref s2, ref s3);

                // vpmuludq multiplies the low 32 bits of each lane: (r >> 32)·n and (r mod 2³²)·n; the index is the
                // high half of each product. One blend puts the eight indexes in place for one 8-wide gather.
                var upper = Avx2.Multiply(Avx2.ShiftRightLogical(r, 32).AsUInt32(), count).AsInt32();
                var lower = Avx2.ShiftRightLogical(Avx2.Multiply(r.AsUInt32(), count), 32).AsInt32();
                var indexes = Avx2.Blend(lower, upper, 0b1010_1010);
                var gathered = Avx2.GatherVector256(values, indexes, 4);
                pairs01 = Avx.Add(pairs01, Avx.ConvertToVector256Double(gathered.GetLower()));
                pairs23 = Avx.Add(pairs23, Avx.ConvertToVector256Double(gathered.GetUpper()));
            }

            if (i < n)
            {
                var r = Next(ref s0, ref s1, ref s2, ref s3);
                var upper = Avx2.ShiftRightLogical(Avx2.Multiply(Avx2.ShiftRightLogical(r, 32).AsUInt32(), count), 32).AsInt64();
                tail = Avx.ConvertToVector256Double(Avx2.GatherVector128(values, upper, 4));
            }
        }

        for (var lane = 0; lane < 4; lane++)
        {
            var pairs = lane < 2 ? pairs01 : pairs23;
            var lower = pairs.GetElement(2 * (lane % 2));
            var upper = pairs.GetElement((2 * (lane % 2)) + 1);
            if (n % 2 == 1)
            {
                upper += tail.GetElement(lane);
            }

            means[first + lane] = (upper + lower) / n;
        }
    }

    private static (Vector256<ulong>, Vector256<ulong>, Vector256<ulong>, Vector256<ulong>) Load(ulong seed, int first)
    {
        var a = Xoshiro256StarStar.ForStream(seed, (ulong)first).State;
        var b = Xoshiro256StarStar.ForStream(seed, (ulong)first + 1).State;
        var c = Xoshiro256StarStar.ForStream(seed, (ulong)first + 2).State;
        var d = Xoshiro256StarStar.ForStream(seed, (ulong)first + 3).State;
        return (Vector256.Create(a.S0, b.S0, c.S0, d.S0), Vector256.Create(a.S1, b.S1, c.S1, d.S1),
            Vector256.Create(a.S2, b.S2, c.S2, d.S2), Vector256.Create(a.S3, b.S3, c.S3, d.S3));
    }

    /// <summary>xoshiro256** in each lane; ×5 and ×9 as shift-and-add (AVX2 has no 64-bit multiply).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Next(ref Vector256<ulong> s0, ref Vector256<ulong> s1, ref Vector256<ulong> s2, ref Vector256<ulong> s3)
    {
        var times5 = Avx2.Add(Avx2.ShiftLeftLogical(s1, 2), s1);
        var rotated = Avx2.Or(Avx2.ShiftLeftLogical(times5, 7), Avx2.ShiftRightLogical(times5, 57));
        var result = Avx2.Add(Avx2.ShiftLeftLogical(rotated, 3), rotated);
        var t = Avx2.ShiftLeftLogical(s1, 17);
        s2 = Avx2.Xor(s2, s0);
        s3 = Avx2.Xor(s3, s1);
        s1 = Avx2.Xor(s1, s2);
        s0 = Avx2.Xor(s0, s3);
        s2 = Avx2.Xor(s2, t);
        s3 = Avx2.Or(Avx2.ShiftLeftLogical(s3, 45), Avx2.ShiftRightLogical(s3, 19));
        return result;
    }
}
