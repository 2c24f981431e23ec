using Tessera.Policy.Ast;
using Tessera.Policy.Entities;

namespace Tessera.Policy.Evaluation;

/// <summary>
/// Finds the policies whose scope can match a request without evaluating the others: for each of
/// principal, action and resource, policies are bucketed by the entity of <c>==</c>, the entity of
/// <c>in</c> (matched against the request entity and its ancestors), or the type of <c>is</c>. A policy
/// left out has a scope that evaluates to false — scope constraints cannot err — so skipping it changes
/// neither the decision, nor the reasons, nor the errors.
/// </summary>
internal sealed class ScopeIndex
{
    private readonly int _count;
    private readonly Dimension _principal;
    private readonly Dimension _action;
    private readonly Dimension _resource;

    public ScopeIndex(IReadOnlyList<ParsedPolicy> policies)
    {
        _count = policies.Count;
        _principal = new Dimension(_count);
        _action = new Dimension(_count);
        _resource = new Dimension(_count);
        for (var i = 0; i < policies.Count; i++)
        {
            var policy = policies[i];
            if (policy.IsTemplate)
            {
                continue;
            }

            _principal.Add(i, policy.Principal);
            _action.Add(i, policy.Action);
            _resource.Add(i, policy.Resource);
        }
    }

    /// <summary>Indices of the policies that may apply, in ascending (source) order.</summary>
    public IEnumerable<int> Candidates(EntityUid principal, EntityUid action, EntityUid resource, EntityStore entities)
    {
        var mask = _principal.Matches(principal, entities);
        var actions = _action.Matches(action, entities);
        var resources = _resource.Matches(resource, entities);
        for (var word = 0; word < mask.Length; word++)
        {
            var bits = mask[word] & actions[word] & resources[word];
            while (bits != 0)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(bits);
                yield return (word * 64) + bit;
                bits &= bits - 1;
            }
        }
    }

    /// <summary>The buckets for one scope variable, each a bitset over policy indices.</summary>
    private sealed class Dimension(int count)
    {
        private readonly int _words = (count + 63) / 64;
        private readonly ulong[] _unconstrained = new ulong[(count + 63) / 64];
        private readonly Dictionary<EntityUid, ulong[]> _equal = [];
        private readonly Dictionary<EntityUid, ulong[]> _in = [];
        private readonly Dictionary<string, ulong[]> _is = new(StringComparer.Ordinal);

        public void Add(int index, ScopeConstraint scope)
        {
            switch (scope.Kind)
            {
                case ScopeKind.Equal:
                    Set(_equal, scope.Entities[0], index);
                    break;
                case ScopeKind.In or ScopeKind.IsIn:
                    // `is T in E` is bucketed by E; the type test runs when the policy is evaluated.
                    foreach (var entity in scope.Entities)
                    {
                        Set(_in, entity, index);
                    }

                    break;
                case ScopeKind.Is:
                    Set(_is, scope.EntityType!, index);
                    break;
                default:
                    _unconstrained[index / 64] |= 1UL << (index % 64);
                    break;
            }
        }

        public ulong[] Matches(EntityUid uid, EntityStore entities)
        {
            var result = (ulong[])_unconstrained.Clone();
            Or(result, _equal, uid);
            Or(result, _is, uid.Type);
            if (_in.Count > 0)
            {
                Or(result, _in, uid);
                foreach (var ancestor in entities.AncestorsOf(uid))
                {
                    Or(result, _in, ancestor);
                }
            }

            return result;
        }

        private void Set<TKey>(Dictionary<TKey, ulong[]> buckets, TKey key, int index)
            where TKey : notnull
        {
            if (!buckets.TryGetValue(key, out var bits))
            {
                buckets[key] = bits = new ulong[_words];
            }

            bits[index / 64] |= 1UL << (index % 64);
        }

        private static void Or<TKey>(ulong[] result, Dictionary<TKey, ulong[]> buckets, TKey key)
            where TKey : notnull
        {
            if (buckets.TryGetValue(key, out var bits))
            {
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] |= bits[i];
                }
            }
        }
    }
}
