import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import {
  AdminSlot,
  AdminSlotsQuery,
  AdminSlotsResponse,
  CancelReasonBody,
  CancelSlotResult,
  CreateSlotsBody,
  IdParams,
  RemovedResult,
  UpdateSlotBody,
} from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { actorOf } from '../../../../domain/audit/audit'
import {
  cancelSlot,
  createSlots,
  deleteSlot,
  listAdminSlots,
  updateSlot,
} from '../../../../domain/bookings/slots'
import { adminCaller } from '../../../../plugins/app/auth'
import { adminSecurity, responses } from '../../../schemas'

export default async function adminSlotRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['admin']

  r.get(
    '/slots',
    {
      config: { auth: { audience: 'admin', permission: 'admin.slots.read' } },
      schema: {
        tags,
        summary: 'Slots of a day (date) or a range (from, to); today by default',
        security: adminSecurity,
        querystring: AdminSlotsQuery,
        response: responses(AdminSlotsResponse),
      },
    },
    async (request) => ({ items: await listAdminSlots(app.domain, request.query) }),
  )

  r.post(
    '/slots',
    {
      config: { auth: { audience: 'admin', permission: 'admin.slots.write' } },
      schema: {
        tags,
        summary: 'Create slots for a date range × time ranges',
        security: adminSecurity,
        body: CreateSlotsBody,
        response: responses(AdminSlotsResponse),
      },
    },
    async (request) => ({
      items: await createSlots(app.domain, actorOf(adminCaller(request)), request.body),
    }),
  )

  r.delete(
    '/slots/:id',
    {
      config: { auth: { audience: 'admin', permission: 'admin.slots.write' } },
      schema: {
        tags,
        summary: 'Remove a slot (refused while it has active bookings and has not ended)',
        security: adminSecurity,
        params: IdParams,
        response: responses(RemovedResult),
      },
    },
    async (request) => {
      await deleteSlot(app.domain, actorOf(adminCaller(request)), request.params.id)
      return { removed: true as const }
    },
  )

  r.patch(
    '/slots/:id',
    {
      config: { auth: { audience: 'admin', permission: 'admin.slots.write' } },
      schema: {
        tags,
        summary: "Change a slot's title or capacity (never below the places booked)",
        security: adminSecurity,
        params: IdParams,
        body: UpdateSlotBody,
        response: responses(AdminSlot),
      },
    },
    async (request) => updateSlot(app.domain, actorOf(adminCaller(request)), request.params.id, request.body),
  )

  r.post(
    '/slots/:id/cancel',
    {
      config: { auth: { audience: 'admin', permission: 'admin.slots.write' } },
      schema: {
        tags,
        summary: 'Withdraw a slot, cancelling its bookings with the reason',
        security: adminSecurity,
        params: IdParams,
        body: CancelReasonBody,
        response: responses(CancelSlotResult),
      },
    },
    async (request) =>
      cancelSlot(app.domain, actorOf(adminCaller(request)), request.params.id, request.body.reason),
  )
}
