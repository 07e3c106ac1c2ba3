#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Small C helpers around libpng's classic read API. libpng reports errors with longjmp, which Swift
// cannot catch, so the setjmp and every libpng call that can fail live here in C; Swift sees plain
// return codes. Written for bloodstudy's Imaging module (PNGCodec.swift).

/// Result codes of bs_png_decode_rgb8.
enum { BS_PNG_OK = 0, BS_PNG_ERROR = 1, BS_PNG_TOO_LARGE = 2 };

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    char message[256];
} bs_png_source;

static void bs_png_read_fn(png_structp png, png_bytep out, size_t count) {
    bs_png_source *src = (bs_png_source *)png_get_io_ptr(png);
    if (src->size - src->offset < count) {
        png_error(png, "the PNG data ends early (truncated file)");
    }
    memcpy(out, src->data + src->offset, count);
    src->offset += count;
}

static void bs_png_error_fn(png_structp png, png_const_charp msg) {
    bs_png_source *src = (bs_png_source *)png_get_error_ptr(png);
    if (src != NULL) {
        strncpy(src->message, msg, sizeof(src->message) - 1);
        src->message[sizeof(src->message) - 1] = 0;
    }
    png_longjmp(png, 1);
}

static void bs_png_warning_fn(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

/// Decodes a PNG held in memory to 8-bit RGB, the way cv2.imread(IMREAD_COLOR) and PIL's
/// convert("RGB") see it: 16-bit samples keep their high byte, palettes and grey are expanded,
/// alpha and tRNS are dropped. The header is read first and images over `max_pixels` are refused
/// (BS_PNG_TOO_LARGE, with *width/*height set) before any pixel memory is allocated.
/// On BS_PNG_OK, *pixels is a malloc'd buffer of width*height*3 bytes the caller frees.
static int bs_png_decode_rgb8(const unsigned char *data, size_t size, unsigned long long max_pixels,
                              unsigned int *width, unsigned int *height, unsigned char **pixels,
                              char *message, size_t message_size) {
    bs_png_source src = {data, size, 0, {0}};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, bs_png_error_fn, bs_png_warning_fn);
    if (png == NULL) { snprintf(message, message_size, "libpng could not start"); return BS_PNG_ERROR; }
    png_infop info = png_create_info_struct(png);
    unsigned char *volatile buffer = NULL;
    png_bytep *volatile rows = NULL;
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        snprintf(message, message_size, "%s", src.message[0] ? src.message : "libpng failed");
        free(buffer);
        free(rows);
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        return BS_PNG_ERROR;
    }
    png_set_read_fn(png, &src, bs_png_read_fn);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    *width = w;
    *height = h;
    if ((unsigned long long)w * (unsigned long long)h > max_pixels) {
        png_destroy_read_struct(&png, &info, NULL);
        return BS_PNG_TOO_LARGE;
    }
    int bit_depth = png_get_bit_depth(png, info);
    int color_type = png_get_color_type(png, info);
    if (bit_depth == 16) png_set_strip_16(png);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if (color_type & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)w * 3) {
        png_error(png, "unexpected row layout after conversion to 8-bit RGB");
    }
    buffer = (unsigned char *)malloc((size_t)w * h * 3);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * h);
    if (buffer == NULL || rows == NULL) png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < h; y++) rows[y] = buffer + (size_t)y * w * 3;
    png_read_image(png, rows);
    free(rows);
    rows = NULL;
    png_destroy_read_struct(&png, &info, NULL);
    *pixels = buffer;
    return BS_PNG_OK;
}
