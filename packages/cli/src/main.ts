import { Command } from 'commander';
import { runCli } from './commands/run.js';
import { resumeCli } from './commands/resume.js';
import { reportCli } from './commands/report.js';
import { experimentCli } from './commands/experiment.js';
import { exportCli } from './commands/export.js';
import { workerCli } from './commands/worker.js';
import { initCli } from './commands/init.js';
import { newCli } from './commands/new.js';

// One line per command; each command lives in its own file under commands/.
const program = new Command()
  .name('llmatic')
  .description('Neural architecture search with code-writing LLMs and quality-diversity search')
  .showHelpAfterError()
  .addCommand(runCli())
  .addCommand(resumeCli())
  .addCommand(reportCli())
  .addCommand(experimentCli())
  .addCommand(exportCli())
  .addCommand(workerCli())
  .addCommand(initCli())
  .addCommand(newCli());

await program.parseAsync(process.argv);
