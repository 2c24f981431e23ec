using Tessera.Policy.Ast;
using Tessera.Policy.Schema;

namespace Tessera.Policy.Validation;

/// <summary>
/// Strict validation of policies against a schema, as the reference's <c>Validator::validate</c> in strict
/// mode: the schema references of each policy are checked once, then the policy is typechecked in every
/// request environment the schema allows. A policy whose scope matches no environment, or whose condition
/// is false in all of them, gets a warning, not an error, as in the reference.
/// </summary>
internal static class PolicyValidator
{
    public static ValidationResult Validate(IEnumerable<ParsedPolicy> policies, CedarSchema schema)
    {
        var environments = RequestEnvironment.All(schema).ToList();
        var errors = new List<ValidationError>();
        var warnings = new List<ValidationWarning>();
        foreach (var policy in policies)
        {
            var messages = new List<string>(SchemaReferenceChecker.Check(policy, schema));
            bool scopeApplies = false, mayBeTrue = false;
            var scope = new BinaryExpr(
                BinaryOperator.And,
                policy.Principal.ToExpr(Variable.Principal),
                new BinaryExpr(BinaryOperator.And, policy.Action.ToExpr(Variable.Action), policy.Resource.ToExpr(Variable.Resource)));
            foreach (var environment in environments)
            {
                var checker = new Typechecker(schema, environment);
                scopeApplies |= checker.CheckPolicy(scope) is not BoolLiteralType { Value: false };
                var type = checker.CheckPolicy(policy.Condition);
                mayBeTrue |= type is not BoolLiteralType { Value: false };
                messages.AddRange(checker.Errors);
            }

            var distinct = messages.Distinct(StringComparer.Ordinal).ToList();
            errors.AddRange(distinct.Select(m => new ValidationError(policy.Id, m)));
            if (distinct.Count == 0 && !scopeApplies)
            {
                warnings.Add(new ValidationWarning(policy.Id, ValidationWarning.NoApplicableAction));
            }
            else if (distinct.Count == 0 && !mayBeTrue)
            {
                warnings.Add(new ValidationWarning(policy.Id, ValidationWarning.ImpossiblePolicy));
            }
        }

        return new ValidationResult(errors, warnings);
    }
}
