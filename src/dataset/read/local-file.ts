import { isHubDatasetUri } from "../../hub/dataset-uri.js";

/**
 * The local file to read for a dataset location. The Hub client is imported only for an `hf://` path:
 * loading it costs most of a second, ten times what validating a small local file takes.
 */
export async function localFile(location: string): Promise<string> {
  if (!isHubDatasetUri(location)) return location;
  const { localDatasetFile } = await import("../../hub/index.js");
  return localDatasetFile(location);
}
