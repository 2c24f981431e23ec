using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Evaluation;
using Tessera.Policy.Parsing;
using Tessera.Policy.Values;

namespace Tessera.Policy.Tests;

/// <summary>Helpers to evaluate one Cedar expression against a fixed request and optional entities.</summary>
internal static class Cedar
{
    public static readonly EntityUid Alice = new("User", "alice");
    public static readonly EntityUid View = new("Action", "view");
    public static readonly EntityUid Photo = new("Photo", "p1");

    public static Value Eval(string expression, EntityStore? entities = null, string context = "{}")
    {
        var evaluator = new Evaluator(
            new RequestValues(new EntityValue(Alice), new EntityValue(View), new EntityValue(Photo), RequestContext.FromJson(context).Record),
            entities ?? EntityStore.Empty);
        return evaluator.Evaluate(Parser.ParseExpression(expression));
    }

    public static bool True(string expression, EntityStore? entities = null) =>
        Eval(expression, entities) is BoolValue b ? b.Value : throw new InvalidOperationException($"`{expression}` is not a bool");

    public static string Error(string expression, EntityStore? entities = null) =>
        Assert.Throws<EvaluationException>(() => Eval(expression, entities)).Message;

    public static AuthorizationResponse Authorize(string policies, EntityStore? entities = null) =>
        PolicySet.Parse(policies).IsAuthorized(
            new AuthorizationRequest { Principal = Alice, Action = View, Resource = Photo },
            entities ?? EntityStore.Empty);
}
