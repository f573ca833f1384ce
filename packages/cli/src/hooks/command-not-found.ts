import { closestNames } from '@convkit/core';
import { type Hook, toConfiguredId } from '@oclif/core';

/**
 * Answers a mistyped command in one line with the closest commands ("did you mean"), exit 127 as a
 * shell does. oclif's plugin-not-found asks interactively and, off a terminal, names no command; a
 * script's log needs the suggestion, so convkit says it itself with the registry's name matcher.
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const visible = options.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  const spelled = toConfiguredId(options.id, options.config);
  const close = closestNames(options.id, visible).map((id) => `\`${options.config.bin} ${toConfiguredId(id, options.config)}\``);
  const hint = close.length > 0 ? `did you mean ${close.join(', ')}?` : `\`${options.config.bin} help\` lists the commands`;
  process.stderr.write(`${options.config.bin}: "${spelled}" is not a ${options.config.bin} command; ${hint}\n`);
  this.exit(127);
};

export default hook;
