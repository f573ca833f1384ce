import { BACKEND_LOADERS, type BackendProbe } from './backend-loaders.js';
import { BACKEND_ORDER, type BackendName } from './backend-name.js';

/** Availability of one backend as `convkit doctor` shows it. */
export interface BackendDiagnosis extends BackendProbe {
  backend: BackendName;
  packageName: string;
}

/** Checks every backend without activating any: available or, in one line each, why not and the fix. */
export async function diagnoseBackends(): Promise<BackendDiagnosis[]> {
  return Promise.all(
    BACKEND_ORDER.map(async (backend) => {
      const loader = BACKEND_LOADERS[backend];
      return { backend, packageName: loader.packageName, ...(await loader.probe()) };
    }),
  );
}
