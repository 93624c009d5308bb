namespace IncidentOps.Core.Access;

/// <summary>
/// The four roles, lowest first. Each role may do everything the ones before it may: a responder reads
/// like a viewer, an approver responds, an admin approves. Shared by the sign-in provider, the API and the tests.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Responder = "responder";
    public const string Approver = "approver";
    public const string Admin = "admin";

    /// <summary>Lowest first.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Responder, Approver, Admin];

    /// <summary>The roles that hold at least <paramref name="role"/>'s rights (itself and every higher one).</summary>
    public static IReadOnlyList<string> AtLeast(string role)
    {
        var index = IndexOf(role);
        return index < 0 ? throw new ArgumentException($"Unknown role '{role}'.", nameof(role)) : [.. All.Skip(index)];
    }

    public static bool IsKnown(string? role) => IndexOf(role) >= 0;

    /// <summary>The highest known role among <paramref name="roles"/>, or null when none is known.</summary>
    public static string? Highest(IEnumerable<string> roles) =>
        roles.Select(IndexOf).Where(i => i >= 0).DefaultIfEmpty(-1).Max() is var top and >= 0 ? All[top] : null;

    private static int IndexOf(string? role)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], role, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
