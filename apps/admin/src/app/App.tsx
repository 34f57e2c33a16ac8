import { useState } from 'react'
import { RouterProvider } from 'react-router/dom'
import { Providers } from './Providers'
import { createRouter } from './router'
import { VenueClockGate } from './VenueClockGate'

export function App() {
  const [router] = useState(createRouter)
  return (
    <Providers>
      <VenueClockGate>
        <RouterProvider router={router} />
      </VenueClockGate>
    </Providers>
  )
}
