namespace Tessera.Server.Datastore.Internal;

/// <summary>One schema step. <c>{BLOB}</c> and <c>{BIN}</c> in the SQL are replaced per dialect.</summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    public string SqlFor(SqlDialect dialect) =>
        Sql.Replace("{BLOB}", dialect.BlobType, StringComparison.Ordinal)
           .Replace("{BIN}", dialect.BinaryCollation, StringComparison.Ordinal);
}
