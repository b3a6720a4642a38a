"""ONNX shape edits shared by the parity goldens (tests/parity) and the benchmark's peers (tests/browser/bench)."""


def free_spatial_input(model):
    """`model` (an onnx.ModelProto, edited in place and returned) with its first input's height and width, and
    every output's shape, left free. For YuNet, whose file declares 640x640 although the graph is fully
    convolutional: onnxruntime then runs it on any input with sides that are multiples of 32."""
    dims = model.graph.input[0].type.tensor_type.shape.dim
    dims[2].dim_param, dims[3].dim_param = "height", "width"
    for output in model.graph.output:
        for dim in output.type.tensor_type.shape.dim:
            dim.dim_param = "n"
    del model.graph.value_info[:]
    return model
