import { packageConfig } from '../../tsup.package.ts';

// main.ts is the command (bin/llmatic.js imports it); index.ts the library.
export default packageConfig({ entry: ['src/index.ts', 'src/main.ts'], dts: { entry: 'src/index.ts' } });
