import { resolve } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { guard } from '../cli-args.js';
import { generatePlugin } from '../scaffold/new-plugin.js';
import { PLUGIN_KINDS, pluginKind, pluginNames, type PluginKind } from '../scaffold/plugin-name.js';

export interface NewPluginFlags {
  kind: PluginKind;
  dir?: string;
}

/** `llmatic new plugin <name> --kind K`: a plugin package, ready to test, build and publish. */
export function newPluginCommand(name: string, flags: NewPluginFlags): number {
  const names = pluginNames(name);
  const dir = resolve(flags.dir ?? names.pluginName);
  const files = generatePlugin(dir, flags.kind, names);
  process.stderr.write(
    `${pc.green('created')} ${names.name} (${flags.kind}) in ${dir}:\n${files.map((file) => `  ${file}\n`).join('')}` +
      `next:\n  cd ${dir}\n  npm install\n  npm test          # the contract suite\n  npm run search    # llmatic run llmatic.config.ts\n`,
  );
  return 0;
}

/** The `new` command group (`new plugin`). */
export function newCli(): Command {
  const plugin = new Command('plugin')
    .description('generate a plugin package: src, tsup build, contract test, changeset, README, llmatic.config.ts')
    .argument('<name>', 'npm package name, e.g. llmatic-naswot or @acme/llmatic-naswot')
    .requiredOption('--kind <kind>', `what the plugin is: ${PLUGIN_KINDS.join(', ')}`, pluginKind)
    .option('--dir <path>', 'where to write it (default: ./<name without scope>)')
    .action((name: string, flags: NewPluginFlags) => guard(async () => newPluginCommand(name, flags)));
  return new Command('new').description('generate a project part').addCommand(plugin);
}
