export type { TcpRunContext } from './tcp-probe.ts';
export { runTcp, tcpTimePerfdatum } from './tcp-probe.ts';
