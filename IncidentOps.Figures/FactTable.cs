namespace IncidentOps.Figures;

/// <summary>Every incident's fact, as the figures are computed from: packed rows and the service names they index.</summary>
public sealed class FactTable(FactRow[] rows, string[] services)
{
    public static FactTable Empty { get; } = new([], []);

    public IReadOnlyList<FactRow> Rows => rows;

    public IReadOnlyList<string> Services => services;

    internal FactRow[] RowArray => rows;

    /// <summary>Decodes the packed records (empty slots are skipped).</summary>
    public static FactTable Decode(ReadOnlySpan<byte> data, string[] services)
    {
        var rows = new List<FactRow>(data.Length / FactRow.Size);
        for (var slot = 0; (slot + 1) * FactRow.Size <= data.Length; slot++)
        {
            if (FactRow.TryRead(data.Slice(slot * FactRow.Size, FactRow.Size), slot, out var row))
            {
                rows.Add(row);
            }
        }

        return new FactTable([.. rows], services);
    }

    /// <summary>An in-memory table (slots and service indexes assigned in order of appearance): tests, tools and the bench.</summary>
    public static FactTable From(IEnumerable<IncidentFact> facts)
    {
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        var services = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = facts.ToList();
        int SlotOf(string id) => slots.TryGetValue(id, out var s) ? s : slots[id] = slots.Count;
        foreach (var fact in list)
        {
            SlotOf(fact.Id);
        }

        var rows = list.Select(f => f.ToRow(
            SlotOf(f.Id),
            services.TryGetValue(f.Service, out var s) ? s : services[f.Service] = services.Count,
            f.PreviousIncidentId is null ? -1 : SlotOf(f.PreviousIncidentId))).ToArray();
        return new FactTable(rows, [.. services.OrderBy(p => p.Value).Select(p => p.Key)]);
    }

    /// <summary>Which service indexes a filter selects (case-insensitive), or null for no filter.</summary>
    public bool[]? ServiceFilter(string? service) =>
        service is null ? null : [.. services.Select(s => string.Equals(s, service, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Slots that a later incident points back to as its recurrence.</summary>
    public bool[] Recurred()
    {
        var max = rows.Length == 0 ? 0 : rows.Max(r => Math.Max(r.Slot, r.PreviousSlot)) + 1;
        var recurred = new bool[max];
        foreach (var row in rows)
        {
            if (row.PreviousSlot >= 0)
            {
                recurred[row.PreviousSlot] = true;
            }
        }

        return recurred;
    }
}
