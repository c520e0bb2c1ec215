import { InvalidArgumentError } from 'commander';

/** The plugin kinds `llmatic new plugin` generates. */
export const PLUGIN_KINDS = ['evaluator', 'provider', 'space', 'executor'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

// npm's rules for a package name: lower case, URL-safe, optionally scoped, at most 214 characters.
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** The names a package name gives the generated code. */
export interface PluginNames {
  /** The npm package name, e.g. `@acme/llmatic-naswot`. */
  name: string;
  /** The package name without its scope: the default folder and the plugin's `name` field. */
  pluginName: string;
  /** The factory function, e.g. `llmaticNaswot`. */
  factory: string;
  /** The same with a capital, for types: `LlmaticNaswot`. */
  Factory: string;
}

/** Checks a package name and derives the code's names from it. */
export function pluginNames(name: string): PluginNames {
  if (name.length > 214 || !NPM_NAME.test(name)) {
    throw new InvalidArgumentError(
      `"${name}" is not an npm package name: use lower-case letters, digits, '-', '.' and '_', optionally scoped (e.g. llmatic-naswot or @acme/llmatic-naswot).`,
    );
  }
  const pluginName = name.replace(/^@[^/]+\//, '');
  const words = pluginName.split(/[^a-z0-9]+/).filter(Boolean);
  const camel = words.map((word, i) => (i === 0 ? word : word[0]?.toUpperCase() + word.slice(1))).join('');
  // An identifier cannot start with a digit.
  const factory = /^[a-z]/.test(camel) ? camel : `plugin${camel[0]?.toUpperCase() ?? ''}${camel.slice(1)}`;
  return { name, pluginName, factory, Factory: factory[0]?.toUpperCase() + factory.slice(1) };
}

/** A commander parser for `--kind`. */
export function pluginKind(value: string): PluginKind {
  if (!(PLUGIN_KINDS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`--kind must be one of ${PLUGIN_KINDS.join(', ')}, got "${value}".`);
  }
  return value as PluginKind;
}
