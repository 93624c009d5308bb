namespace IncidentOps.Figures.Statistics;

/// <summary>
/// xoshiro256** (Blackman and Vigna, 2018), seeded through SplitMix64. Our own generator rather than
/// <see cref="Random"/>: the algorithm behind <c>new Random(seed)</c> is an implementation detail that .NET does
/// not promise to keep across runtimes, and a published bootstrap interval must reproduce exactly from its seed.
/// A struct, so each bootstrap resample can have a stream of its own without allocating.
/// </summary>
public struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    public Xoshiro256StarStar(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>A generator in exactly this state (for checking against the reference implementation's outputs).</summary>
    public static Xoshiro256StarStar FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        var rng = default(Xoshiro256StarStar);
        (rng._s0, rng._s1, rng._s2, rng._s3) = (s0, s1, s2, s3);
        return rng;
    }

    /// <summary>The four words of the state, for running several streams side by side in vector registers.</summary>
    public readonly (ulong S0, ulong S1, ulong S2, ulong S3) State => (_s0, _s1, _s2, _s3);

    /// <summary>The stream for item <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static Xoshiro256StarStar ForStream(ulong seed, ulong index) =>
        new(seed ^ (index * 0x9E3779B97F4A7C15UL + 0xD1B54A32D192ED03UL));

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) by Lemire's multiply-shift (bias below 2⁻³², irrelevant at our n).</summary>
    public uint NextBelow(uint bound) => (uint)(((NextUInt64() >> 32) * bound) >> 32);

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
