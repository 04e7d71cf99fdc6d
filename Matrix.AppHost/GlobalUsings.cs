// Also implicit in Aspire AppHost projects; stated so every file reads the same in any editor.
global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
