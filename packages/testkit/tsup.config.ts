import { packageConfig } from '../../tsup.package.ts';

// vitest is the caller's (a peer dependency): never bundle it.
export default packageConfig({ external: ['vitest'] });
