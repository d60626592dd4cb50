import type { fork } from 'node:child_process';

/**
 * The next IPC message of the given type from a load driver (the child process playing
 * the platform and its users); rejects if the driver exits first.
 */
export function nextMessage<Message extends { type: string }, Type extends Message['type']>(child: ReturnType<typeof fork>, type: Type): Promise<Extract<Message, { type: Type }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Message): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<Message, { type: Type }>);
    };
    const onExit = (code: number | null): void => reject(new Error(`the load driver exited (${code}) before sending ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
