// Lab runs on Linux only (namespaces, cgroups, unix sockets); say so once instead of guarding every call.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
