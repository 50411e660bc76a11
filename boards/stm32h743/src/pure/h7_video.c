/*
 * h7_video.c: the video device: format negotiation and the buffer queues
 * between the caller and a capture backend (one snapshot per buffer).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_video.h"

#include <string.h>

int h7_video_init(h7_video_t *v, h7_sensor_t *sensor, const h7_capture_ops_t *cap, void *cap_ctx)
{
	if (!v || !sensor || !sensor->ops || !cap || !cap->start || !cap->poll || !cap->stop || !cap->now_ms)
		return H7_VIDEO_EINVAL;
	memset(v, 0, sizeof *v);
	v->sensor = sensor;
	v->cap = cap;
	v->cap_ctx = cap_ctx;
	return H7_VIDEO_OK;
}

int h7_video_get_caps(const h7_video_t *v, const h7_video_format_t **formats, size_t *count)
{
	if (!v || !formats || !count)
		return H7_VIDEO_EINVAL;
	*formats = v->sensor->ops->formats;
	*count = v->sensor->ops->format_count;
	return H7_VIDEO_OK;
}

int h7_video_set_format(h7_video_t *v, const h7_video_format_t *fmt)
{
	if (!v || !fmt)
		return H7_VIDEO_EINVAL;
	if (v->streaming)
		return H7_VIDEO_EBUSY;
	const h7_sensor_ops_t *ops = v->sensor->ops;
	const h7_video_format_t *match = NULL;
	for (size_t i = 0; i < ops->format_count; i++) {
		const h7_video_format_t *f = &ops->formats[i];
		if (f->pixelformat == fmt->pixelformat && f->width == fmt->width && f->height == fmt->height)
			match = f;
	}
	if (!match)
		return H7_VIDEO_EINVAL;
	h7_capture_mode_t mode;
	int status = ops->set_format(v->sensor, match, &mode);
	if (status)
		return status;
	v->format = *match;
	v->mode = mode;
	v->format_set = true;
	return H7_VIDEO_OK;
}

int h7_video_get_format(const h7_video_t *v, h7_video_format_t *fmt)
{
	if (!v || !fmt || !v->format_set)
		return H7_VIDEO_EINVAL;
	*fmt = v->format;
	return H7_VIDEO_OK;
}

static uint32_t frame_bytes(const h7_video_t *v)
{
	return v->format.pitch * v->format.height;
}

static h7_video_buffer_t *pop(h7_video_buffer_t **q, uint8_t *count)
{
	if (*count == 0)
		return NULL;
	h7_video_buffer_t *b = q[0];
	memmove(q, q + 1, (size_t)(*count - 1) * sizeof q[0]);
	(*count)--;
	return b;
}

static int start_next(h7_video_t *v)
{
	if (v->active || v->in_count == 0)
		return H7_VIDEO_OK;
	h7_video_buffer_t *b = pop(v->in, &v->in_count);
	int status = v->cap->start(v->cap_ctx, b->buffer, frame_bytes(v), &v->mode);
	if (status) {
		/* Keep the buffer: it goes back to the head of the queue. */
		memmove(v->in + 1, v->in, (size_t)v->in_count * sizeof v->in[0]);
		v->in[0] = b;
		v->in_count++;
		return status;
	}
	v->active = b;
	return H7_VIDEO_OK;
}

int h7_video_enqueue(h7_video_t *v, h7_video_buffer_t *buf)
{
	if (!v || !buf || !buf->buffer || !v->format_set)
		return H7_VIDEO_EINVAL;
	if (buf->size < frame_bytes(v))
		return H7_VIDEO_EINVAL;
	/* Every buffer the device holds, wherever it is, fits any one queue. */
	if (v->in_count + v->out_count + (v->active ? 1 : 0) >= H7_VIDEO_QUEUE)
		return H7_VIDEO_ENOBUFS;
	buf->bytesused = 0;
	v->in[v->in_count++] = buf;
	return v->streaming ? start_next(v) : H7_VIDEO_OK;
}

int h7_video_stream_start(h7_video_t *v)
{
	if (!v || !v->format_set)
		return H7_VIDEO_EINVAL;
	if (v->streaming)
		return H7_VIDEO_OK;
	int status = v->sensor->ops->set_sleep(v->sensor, false);
	if (status)
		return status;
	v->streaming = true;
	return start_next(v);
}

int h7_video_stream_stop(h7_video_t *v)
{
	if (!v)
		return H7_VIDEO_EINVAL;
	if (!v->streaming)
		return H7_VIDEO_OK;
	if (v->active) {
		v->cap->stop(v->cap_ctx);
		memmove(v->in + 1, v->in, (size_t)v->in_count * sizeof v->in[0]);
		v->in[0] = v->active;
		v->in_count++;
		v->active = NULL;
	}
	v->streaming = false;
	return v->sensor->ops->set_sleep(v->sensor, true);
}

/* One look at the backend: moves a completed buffer to the out queue and re-arms. */
static int service(h7_video_t *v)
{
	if (!v->active)
		return H7_VIDEO_OK;
	uint32_t used = 0;
	int r = v->cap->poll(v->cap_ctx, &used);
	if (r == 0)
		return H7_VIDEO_OK;
	h7_video_buffer_t *b = v->active;
	v->active = NULL;
	if (r < 0) {
		/* Dropped frame: the buffer goes back to the tail to be filled again. */
		v->errors++;
		v->in[v->in_count++] = b;
		start_next(v);
		return r;
	}
	b->bytesused = used;
	b->timestamp_ms = v->cap->now_ms(v->cap_ctx);
	v->out[v->out_count++] = b;
	v->frames++;
	return start_next(v);
}

int h7_video_dequeue(h7_video_t *v, h7_video_buffer_t **buf, uint32_t timeout_ms)
{
	if (!v || !buf)
		return H7_VIDEO_EINVAL;
	*buf = NULL;
	uint32_t start = v->cap->now_ms(v->cap_ctx);
	for (;;) {
		int status = service(v);
		if (v->out_count) {
			*buf = pop(v->out, &v->out_count);
			return H7_VIDEO_OK;
		}
		if (status)
			return status;
		if (!v->streaming)
			return H7_VIDEO_EAGAIN;
		if (!v->active)
			return H7_VIDEO_ENOBUFS;
		if (timeout_ms == 0)
			return H7_VIDEO_EAGAIN;
		if (v->cap->now_ms(v->cap_ctx) - start >= timeout_ms)
			return H7_VIDEO_ETIMEDOUT;
	}
}

int h7_video_set_ctrl(h7_video_t *v, h7_video_ctrl_t id, int32_t value)
{
	if (!v)
		return H7_VIDEO_EINVAL;
	return v->sensor->ops->set_ctrl(v->sensor, id, value);
}

int h7_video_get_ctrl(h7_video_t *v, h7_video_ctrl_t id, int32_t *value)
{
	if (!v)
		return H7_VIDEO_EINVAL;
	return v->sensor->ops->get_ctrl(v->sensor, id, value);
}
