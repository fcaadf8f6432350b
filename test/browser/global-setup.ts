// Builds the console once before the browser journeys (only when a console source is newer than dist/console).
export default async function setup(): Promise<void> {
  // @ts-expect-error: a plain JavaScript module of the repository, without type declarations
  const { buildConsole } = (await import('../../console/build.mjs')) as { buildConsole(options: { onlyIfStale: boolean }): Promise<void> };
  await buildConsole({ onlyIfStale: true });
}
