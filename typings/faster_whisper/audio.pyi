import numpy as np
from numpy.typing import NDArray

def decode_audio(input_file: str, sampling_rate: int = 16000) -> NDArray[np.float32]: ...
