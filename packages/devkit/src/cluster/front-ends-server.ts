/**
 * The admin dashboard's and the mini-program H5 build's files, each on its own port with `/api`
 * (and the H5's `/__sandbox`) passed to the cluster's load balancer, as a deployment's web server
 * would. Usage: tsx front-ends-server.ts <api url> <sandbox url> <admin dist> <admin port> <h5 dist> <h5 port>
 */
import { serveStatic } from '../static-server'

const [apiUrl, sandboxUrl, adminDist, adminPort, h5Dist, h5Port] = process.argv.slice(2)
if (!apiUrl || !sandboxUrl || !adminDist || !adminPort || !h5Dist || !h5Port) {
  console.error(
    'usage: front-ends-server <api url> <sandbox url> <admin dist> <admin port> <h5 dist> <h5 port>',
  )
  process.exit(2)
}
await serveStatic(adminDist, { port: Number(adminPort), proxy: { '/api': apiUrl } })
await serveStatic(h5Dist, { port: Number(h5Port), proxy: { '/api': apiUrl, '/__sandbox': sandboxUrl } })
console.log(`admin on ${adminPort}, H5 on ${h5Port}`)
