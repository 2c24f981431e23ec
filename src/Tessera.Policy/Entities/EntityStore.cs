using System.Collections.Concurrent;
using Tessera.Policy.Json;
using Tessera.Policy.Schema;

namespace Tessera.Policy.Entities;

/// <summary>
/// A set of entities with their attributes, tags and parent links, loaded once and shared by any number of
/// concurrent authorization calls. Ancestor sets are computed on first use and cached. As in the reference,
/// a hierarchy with a cycle is rejected when the store is loaded.
/// </summary>
public sealed class EntityStore
{
    private readonly Dictionary<EntityUid, Entity> _entities;
    private static readonly HashSet<EntityUid> NoAncestors = [];

    private readonly ConcurrentDictionary<EntityUid, HashSet<EntityUid>> _ancestors = new();

    internal EntityStore(IEnumerable<Entity> entities)
    {
        _entities = [];
        foreach (var entity in entities)
        {
            // As in the reference, one UID names one entity: a second definition is an error, not an override.
            if (!_entities.TryAdd(entity.Uid, entity))
            {
                throw new FormatException($"entities: duplicate entity {entity.Uid}");
            }
        }

        RejectCycles();
    }

    // The reference refuses a hierarchy with a cycle ("input graph has a cycle containing vertex …"), so
    // a cycle is a load error here too. Iterative three-colour depth-first search: O(entities + parent
    // links) and no recursion, whatever the depth of the hierarchy.
    private void RejectCycles()
    {
        var state = new Dictionary<EntityUid, bool>(); // false: on the current path; true: finished
        var stack = new Stack<(EntityUid Uid, IEnumerator<EntityUid> Parents)>();
        foreach (var root in _entities.Keys)
        {
            if (state.ContainsKey(root))
            {
                continue;
            }

            state[root] = false;
            stack.Push((root, _entities[root].Parents.GetEnumerator()));
            while (stack.Count > 0)
            {
                var (uid, parents) = stack.Peek();
                if (!parents.MoveNext())
                {
                    state[uid] = true;
                    stack.Pop();
                    continue;
                }

                var parent = parents.Current;
                if (state.TryGetValue(parent, out var finished))
                {
                    if (!finished)
                    {
                        throw new FormatException($"entities: the entity hierarchy has a cycle containing {parent}");
                    }
                }
                else if (_entities.TryGetValue(parent, out var parentEntity))
                {
                    state[parent] = false;
                    stack.Push((parent, parentEntity.Parents.GetEnumerator()));
                }
            }
        }
    }

    /// <summary>An empty store.</summary>
    public static EntityStore Empty { get; } = new([]);

    /// <summary>The number of entities in the store.</summary>
    public int Count => _entities.Count;

    /// <summary>Parses entities in Cedar's JSON format (an array of objects with <c>uid</c>, <c>attrs</c>, <c>parents</c>, <c>tags</c>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The loaded store.</returns>
    /// <exception cref="FormatException">The JSON is malformed or does not follow the entity format; the message says where.</exception>
    public static EntityStore FromJson(string json) => new(EntityJsonReader.Read(json));

    /// <summary>
    /// Parses entities with schema-based parsing: attributes are read by their declared types (a plain
    /// <c>{"type", "id"}</c> is an entity reference, a string an extension value where the schema says so),
    /// and the schema's actions are added with their action groups. Values are not validated yet.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="schema">The schema whose types direct parsing.</param>
    /// <returns>The loaded store.</returns>
    /// <exception cref="FormatException">The JSON is malformed or does not follow the entity format.</exception>
    public static EntityStore FromJson(string json, CedarSchema schema) => new(EntityJsonReader.Read(json, schema));

    /// <summary>Returns whether an entity with this UID exists in the store.</summary>
    /// <param name="uid">The UID to look up.</param>
    public bool Contains(EntityUid uid) => _entities.ContainsKey(uid);

    internal bool TryGet(EntityUid uid, out Entity entity) => _entities.TryGetValue(uid, out entity!);

    /// <summary>Cedar's <c>in</c>: true when <paramref name="descendant"/> equals <paramref name="ancestor"/> or has it as a transitive parent.</summary>
    internal bool IsDescendantOf(EntityUid descendant, EntityUid ancestor) =>
        descendant.Equals(ancestor) || Ancestors(descendant).Contains(ancestor);

    /// <summary>The transitive parents of <paramref name="uid"/> (not including itself); empty for unknown entities.</summary>
    internal IReadOnlySet<EntityUid> AncestorsOf(EntityUid uid) => Ancestors(uid);

    // Only entities in the store are cached: requests naming arbitrary unknown UIDs must not grow the cache.
    private HashSet<EntityUid> Ancestors(EntityUid uid) =>
        _entities.ContainsKey(uid) ? _ancestors.GetOrAdd(uid, ComputeAncestors) : NoAncestors;

    // Iterative breadth-first walk with a visited set: terminates on cycles and never recurses, so a
    // deep or hostile hierarchy cannot overflow the stack.
    private HashSet<EntityUid> ComputeAncestors(EntityUid uid)
    {
        var result = new HashSet<EntityUid>();
        var queue = new Queue<EntityUid>();
        queue.Enqueue(uid);
        while (queue.Count > 0)
        {
            if (!_entities.TryGetValue(queue.Dequeue(), out var entity))
            {
                continue;
            }

            foreach (var parent in entity.Parents)
            {
                if (result.Add(parent))
                {
                    queue.Enqueue(parent);
                }
            }
        }

        return result;
    }
}
