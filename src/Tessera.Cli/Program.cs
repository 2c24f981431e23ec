using Tessera.Cli;

return await TesseraCommand.Create().Parse(args).InvokeAsync();
